import CharterCrypto
import Foundation
import Testing

@testable import CharterAccounts

/// Password derivations are bounded (128 MiB each at the real policy): at most the limit
/// run at once, the others wait in order.
@Suite struct PasswordWorkTests {
  final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0
    private(set) var peak = 0

    func enter() {
      lock.withLock {
        running += 1
        peak = max(peak, running)
      }
    }

    func leave() { lock.withLock { running -= 1 } }
    var maximum: Int { lock.withLock { peak } }
  }

  @Test func theSemaphoreBoundsHoldersAtOnce() async {
    let semaphore = AsyncSemaphore(limit: 2)
    let gauge = Gauge()
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<12 {
        group.addTask {
          await semaphore.withPermit {
            gauge.enter()
            try? await Task.sleep(for: .milliseconds(20))
            gauge.leave()
          }
        }
      }
    }
    #expect(gauge.maximum == 2)
  }

  @Test func hashesAndVerificationsRunAndAgree() async throws {
    let work = PasswordWork(hasher: PasswordHasher(policy: testPasswordPolicy), maxConcurrent: 2)
    let hashes = try await withThrowingTaskGroup(of: String.self) { group in
      for index in 0..<6 { group.addTask { try await work.hash("passphrase \(index)") } }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(Set(hashes).count == 6)  // a fresh salt each time
    let hash = try await work.hash("passphrase")
    #expect(await work.verify("passphrase", against: hash)?.matches == true)
    #expect(await work.verify("Passphrase", against: hash)?.matches == false)
    #expect(await work.verify("passphrase", against: "not a hash") == nil)
  }
}
