import CharterProtocol
import Testing

@testable import CharterShell

@Suite struct CompletionAndHistoryTests {
  let completer = Completer(tenantNames: { ["aitisa", "cesa", "aiia"] })

  @Test func commandWordsComplete() {
    #expect(completer.candidates(lineBeforeCursor: "PI") == ["PING"])
    #expect(completer.candidates(lineBeforeCursor: "pi") == ["ping"])
    #expect(completer.candidates(lineBeforeCursor: "TEN") == ["TENANT"])
    #expect(completer.candidates(lineBeforeCursor: "TENANT ") == ["CREATE", "LIST", "SHOW", "USE"])
    #expect(completer.candidates(lineBeforeCursor: "admin p") == ["passwd"])
    #expect(completer.candidates(lineBeforeCursor: "").contains("AUDIT"))
    #expect(completer.candidates(lineBeforeCursor: "XYZ").isEmpty)
  }

  @Test func tenantNamesCompleteWhereACommandReadsATenant() {
    #expect(completer.candidates(lineBeforeCursor: "TENANT USE ai") == ["aiia", "aitisa"])
    #expect(completer.candidates(lineBeforeCursor: "tenant show c") == ["cesa"])
    // TENANT CREATE names a new tenant: nothing to offer.
    #expect(completer.candidates(lineBeforeCursor: "TENANT CREATE a").isEmpty)
  }

  @Test func listedValuesAndOptionsComplete() {
    #expect(completer.candidates(lineBeforeCursor: "MODE J") == ["JSON"])
    #expect(completer.candidates(lineBeforeCursor: "ADMIN CREATE zhangsan s") == ["secretariat"])
    #expect(completer.candidates(lineBeforeCursor: "AUDIT TAIL ") == ["limit="])
    #expect(completer.candidates(lineBeforeCursor: "AUDIT SEARCH outcome=e") == ["outcome=error"])
    #expect(!completer.candidates(lineBeforeCursor: "AUDIT SEARCH limit=5 ").contains("limit="))
    #expect(completer.candidates(lineBeforeCursor: "HELP TENANT U") == ["USE"])
  }

  @Test func tenantNamesAreFetchedOnlyWhenNeeded() {
    var fetches = 0
    let counting = Completer(tenantNames: {
      fetches += 1
      return ["aitisa"]
    })
    _ = counting.candidates(lineBeforeCursor: "PI")
    _ = counting.candidates(lineBeforeCursor: "TENANT ")
    #expect(fetches == 0)
    _ = counting.candidates(lineBeforeCursor: "TENANT USE ")
    #expect(fetches == 1)
  }

  @Test func commonPrefix() {
    #expect(Completer.commonPrefix(["aitisa", "aiia"]) == "ai")
    #expect(Completer.commonPrefix(["PING"]) == "PING")
    #expect(Completer.commonPrefix([]) == "")
  }

  @Test func linesWithSecretsAreNotRemembered() {
    #expect(!HistoryPolicy.shouldRemember("LOGIN alice secret"))
    #expect(!HistoryPolicy.shouldRemember("login alice \"a long secret\""))
    #expect(!HistoryPolicy.shouldRemember("ADMIN PASSWD bob newsecret"))
    #expect(!HistoryPolicy.shouldRemember("LOGN alice secret"))  // a typo still holds a password
    #expect(!HistoryPolicy.shouldRemember("LOGIN alice \"unterminated"))
    #expect(HistoryPolicy.shouldRemember("PING"))
    #expect(HistoryPolicy.shouldRemember("TENANT USE aitisa"))
    #expect(HistoryPolicy.shouldRemember("ADMIN CREATE zhangsan secretariat display=\"张 三\""))
    #expect(!HistoryPolicy.shouldRemember("   "))
  }

  @Test func whoamiGivesThePromptName() throws {
    let operatorReply = Reply.table(
      columns: ["name", "scope", "role", "tenant"],
      rows: [["alice", "installation", "operator", ""]],
      status: .ok(""))
    let identity = try #require(SessionIdentity(whoami: operatorReply))
    #expect(identity.isOperator)
    #expect(identity.promptName == "alice")
    let tenantReply = Reply.table(
      columns: ["name", "scope", "role", "tenant"],
      rows: [["bob", "tenant", "secretariat", "aitisa"]],
      status: .ok(""))
    #expect(SessionIdentity(whoami: tenantReply)?.promptName == "bob@aitisa")
    #expect(SessionIdentity(whoami: tenantReply)?.isOperator == false)
    #expect(SessionIdentity(whoami: .error(.notLoggedIn, "x")) == nil)
  }
}
