import Testing

@testable import CharterWorkflows

/// RFC 4180 quoting of the register's CSV fields (checked on UTF-8 bytes).
@Suite struct RegisterCSVQuotingTests {
  @Test func fieldsWithSeparatorsQuotesLineBreaksOrEdgeSpacesAreQuoted() {
    #expect(RegisterCSV.quoted("北京示例科技有限公司") == "北京示例科技有限公司")
    #expect(RegisterCSV.quoted("a, b") == "\"a, b\"")
    #expect(RegisterCSV.quoted("张\"小\"三") == "\"张\"\"小\"\"三\"")
    #expect(RegisterCSV.quoted("a\nb") == "\"a\nb\"")
    // CR LF is one Character, equal to neither "\r" nor "\n": still quoted.
    #expect(RegisterCSV.quoted("a\r\nb") == "\"a\r\nb\"")
    #expect(RegisterCSV.quoted(" 前导空格") == "\" 前导空格\"")
    #expect(RegisterCSV.quoted("尾随空格 ") == "\"尾随空格 \"")
    #expect(RegisterCSV.line(["a", "b,c", ""]) == "a,\"b,c\",")
  }
}
