public import CharterCrypto
import Dispatch
import Foundation

/// Runs password hashing off the Swift concurrency pool (each derivation blocks a thread for
/// about 0.3 s and takes 128 MiB at the current policy) and bounds how many run at once, so
/// a burst of logins cannot exhaust memory or starve the pool: the others wait their turn.
public final class PasswordWork: Sendable {
  public let hasher: PasswordHasher
  public let maxConcurrent: Int
  private let semaphore: AsyncSemaphore
  private let queue = DispatchQueue(
    label: "charter.accounts.password-work", attributes: .concurrent)
  private let counter = VerificationCounter()

  /// Real verifications run so far (not dummies): RELIABILITY A2 counts them during a lockout.
  var verificationCount: Int { counter.value }

  public init(hasher: PasswordHasher = PasswordHasher(), maxConcurrent: Int = 2) {
    self.hasher = hasher
    self.maxConcurrent = max(1, maxConcurrent)
    semaphore = AsyncSemaphore(limit: self.maxConcurrent)
  }

  /// `PasswordHasher.verify`; nil when the stored string cannot be read (treated as a
  /// mismatch by the caller).
  func verify(_ password: String, against stored: String) async -> PasswordVerification? {
    let hasher = hasher
    counter.increment()
    return await run { try? hasher.verify(password, against: stored) }
  }

  /// The time of one verification, for logins that cannot succeed (RELIABILITY A3).
  func dummyVerify(_ password: String) async {
    let hasher = hasher
    await run { hasher.dummyVerify(password) }
  }

  func hash(_ password: String) async throws(CryptoError) -> String {
    let hasher = hasher
    let result: Result<String, CryptoError> = await run {
      do throws(CryptoError) {
        return .success(try hasher.hash(password))
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  private func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    let queue = queue
    return await semaphore.withPermit {
      await withCheckedContinuation { continuation in
        queue.async { continuation.resume(returning: body()) }
      }
    }
  }
}

private final class VerificationCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0

  var value: Int { lock.withLock { count } }

  func increment() { lock.withLock { count += 1 } }
}
