import CharterPostgres
import Foundation
import Testing

/// CHARTER LOAD / SHOW / HISTORY (issue 7: an amendment loads a new profile version with an
/// effective date; decisions before it keep the old version).
@Suite struct CharterVersionTests {
  @Test func aTenantWorksUnderTheCharterItLoaded() async throws {
    try await Harness.with { harness in
      let session = try await harness.tenant("aitisa")
      let shown = try await session.expectOK("CHARTER SHOW")
      #expect(shown.contains("aitisa"))
      #expect(shown.contains("effective"))
      let history = try await session.expectOK("CHARTER HISTORY")
      #expect(history.contains("2020-01-01"))
      #expect(ScenarioSession.status(of: history) == "OK 1 version")
    }
  }

  @Test func commandsNeedACharterInForce() async throws {
    try await Harness.with { harness in
      let session = try await harness.operatorSession()
      try await session.expectOK("TENANT CREATE bare \"无章程\"")
      try await session.expectOK("TENANT USE bare")
      try await session.expectError("NOT_FOUND", "CHARTER SHOW")
    }
  }

  @Test func anAmendmentNeedsAHigherVersionAndALaterDay() async throws {
    try await Harness.with { harness in
      let session = try await harness.tenant("aii")
      // The same file again: same version number.
      let same = try await session.expectError("CONFLICT", "CHARTER LOAD aii effective=2027-01-01")
      #expect(same.contains("higher"))
      try await session.expectError("NOT_FOUND", "CHARTER LOAD no-such-profile")
      // Nothing was written by the refusals.
      let count = try await harness.inTenant("aii") { connection in
        try await connection.query("select count(*)::int8 from charter.charter_versions", [])
          .scalar(as: Int64.self)
      }
      #expect(count == 1)
    }
  }

  @Test func anotherTenantsCharterIsInvisible() async throws {
    try await Harness.with { harness in
      _ = try await harness.tenant("aitisa")
      let other = try await harness.operatorSession()
      try await other.expectOK("TENANT CREATE other \"另一联盟\"")
      try await other.expectOK("TENANT USE other")
      try await other.expectError("NOT_FOUND", "CHARTER SHOW")
    }
  }
}
