import Foundation
@testable import ModerateCore
import Testing

@Suite struct FilterLineTests {
    /// A tab between tokens becomes a space and one inside a string becomes `\t`, also after
    /// an escaped quote; the JSON means the same afterwards.
    @Test func rawTabsAreReplacedWithoutChangingTheJSON() throws {
        let line = Array("{\"a\":\t\"x\ty\",\t\"b\":\"q\\\"\tz\"}\n".utf8)
        let cleaned = FilterLine.withoutRawTabs(line)
        #expect(!cleaned.contains(0x09))
        #expect(String(decoding: cleaned, as: UTF8.self) == "{\"a\": \"x\\ty\", \"b\":\"q\\\"\\tz\"}\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(cleaned)) as? [String: String])
        #expect(object == ["a": "x\ty", "b": "q\"\tz"])
    }

    @Test func aLineWithoutTabsIsLeftAsItIs() {
        let line = Array("{\"a\":\"b\"}\n".utf8)
        #expect(FilterLine.withoutRawTabs(line) == line)
    }
}
