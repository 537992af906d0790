@testable import ModerateCore
import PCRE2
import Testing

@Suite struct NestedQuantifierScanTests {
    @Test(arguments: ["(a+)+", "(\\w*)*", "(.*a){3}", "x(?:[a-z]+\\s)*y", "((ab)+c)+", "(\\d{1,20}-)+$", "(a+?)+"])
    func flagsRepeatedGroupsThatRepeatInside(_ pattern: String) {
        #expect(NestedQuantifierScan.riskyGroup(in: pattern) != nil)
    }

    @Test(arguments: ["(a+)", "(ab)+", "(?>a+)+", "(a++)+", "(a+)*+", "[(a+)]+", "\\(a+\\)+", "(.*a){2}",
                      "(?:https?://|www\\.)(?:.*?(?:https?://|www\\.)){2}", "(a{1,3})+", "(*UCP)\\w+", "\\p{L}+(?:x)+"])
    func leavesSafeShapesAlone(_ pattern: String) {
        #expect(NestedQuantifierScan.riskyGroup(in: pattern) == nil)
    }

    @Test func reportsTheGroupWithItsQuantifier() {
        #expect(NestedQuantifierScan.riskyGroup(in: "^start (\\w+\\s?)+$") == "(\\w+\\s?)+")
    }
}
