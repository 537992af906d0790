@testable import ModerateCore
import Testing

/// The ASCII shortcuts must give what the property tables give, for every scalar they answer.
@Suite struct ScalarClassesTests {
    static let samples: [Unicode.Scalar] = (0..<0x300).compactMap(Unicode.Scalar.init)
        + ["\u{85}", "\u{A0}", "\u{2003}", "\u{3000}", "й", "٣", "Ⅻ", "𝐁", "漢", "😀"]

    @Test func whitespaceAgreesWithTheTables() {
        for scalar in Self.samples {
            #expect(scalar.isWhitespaceProperty == scalar.properties.isWhitespace, "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func alphabeticAgreesWithTheTables() {
        for scalar in Self.samples {
            #expect(scalar.isAlphabeticProperty == scalar.properties.isAlphabetic, "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func letterOrNumberAgreesWithTheTables() {
        for scalar in Self.samples {
            let expected = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            #expect(scalar.isLetterOrNumber == expected, "U+\(String(scalar.value, radix: 16))")
        }
    }
}
