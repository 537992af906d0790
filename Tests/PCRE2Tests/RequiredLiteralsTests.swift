import PCRE2
import Testing

private func literals(_ pattern: String, _ options: RegexOptions = .caseless) -> [[String]] {
    RequiredLiterals(pattern: pattern, options: options).allOf.map { $0.map { String(decoding: $0, as: UTF8.self) } }
}

@Suite struct RequiredLiteralsTests {
    @Test func wordsAndAlternativesAreRequired() {
        #expect(literals(#"\bcasino\b"#) == [["casino"]])
        #expect(literals(#"\bsub(?:scribe)?\b"#) == [["sub", "subscribe"]])
        #expect(literals(#"(?:cheap|discount)\s+(?:pills|meds)"#).sorted { $0[0] < $1[0] }
                == [["cheap", "discount"], ["meds", "pills"]])
        #expect(literals(#"Free\s+Gift"#) == [["free"], ["gift"]])   // case folded
        #expect(literals(#"fr[e3][e3]"#) == [["fr33", "fr3e", "fre3", "free"]])
        #expect(literals(#"\$\d+|\d+\s?usd"#) == [["$", "usd"]])
        #expect(literals(#"€\d+"#) == [["€"]])                           // no case: a literal
        #expect(literals(#"\Qa.b\E"#) == [["a.b"]])
        #expect(literals(#"(?<name>visit)\s+(?=my)"#) == [["visit"], ["my"]])   // a lookahead's text is required
        #expect(literals(#"visit(?!\s+me)"#) == [["visit"]])                    // a negative one's is not
        // Beyond ASCII, a class of letters gives the leading bytes of every case form:
        // Cyrillic in U+0400-04FF (lead bytes D0-D3) and its old forms U+1C80-1C88 (E1 B2).
        #expect(RequiredLiterals(pattern: #"[\x{0400}-\x{04FF}]"#, options: .caseless).allOf
                == [[[0xD0], [0xD1], [0xD2], [0xD3], [0xE1, 0xB2]]])
        #expect(literals(#"[\x{0100}-\x{017F}]x"#).isEmpty)   // ſ (U+017F) matches s: no literal
    }

    @Test func nothingIsRequiredWhenAMatchCanAvoidIt() {
        #expect(literals(#"casino|\w+"#).isEmpty)         // one branch has no literal
        #expect(literals(#"(?:win)?\d+"#).isEmpty)         // optional
        #expect(literals(#"(?:win)*"#).isEmpty)
        #expect(literals(#"[^a]bc"#) == [["bc"]])          // the negated class is not a literal
        #expect(literals(#"(\w+)\s+\1"#).isEmpty)          // a back reference
        #expect(literals(#"кaзино"#).isEmpty)               // Cyrillic letters have case partners
        #expect(literals(#"a\d+b"#).isEmpty)               // single letters are in every text
    }

    @Test func runsOfWordCharactersAndDigitsAreRequired() {
        func runs(_ pattern: String) -> [Int] {
            let required = RequiredLiterals(pattern: pattern, options: [.caseless, .unicodeProperties])
            return [required.wordRun, required.digitRun]
        }
        #expect(runs(#"\b\w{25,}\b"#) == [25, 0])
        #expect(runs(#"\d{9,}"#) == [9, 9])                    // digits are word characters too
        #expect(runs(#"\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}"#) == [4, 4])
        #expect(runs(#"[0-9]{4}|[a-z_]{6}"#) == [4, 0])         // either branch: the shorter run
        #expect(runs(#"(?:\d{5})?x"#) == [0, 0])                // optional
        #expect(runs(#"[^a]{9}"#) == [0, 0])
        #expect(runs(#"\w{2}"#) == [0, 0])                     // too short to be worth counting
        #expect(runs(#"(?=\w*\d{4})x"#) == [4, 4])
    }

    @Test func unreadableSyntaxGivesUpOnTheWholePattern() {
        #expect(literals("casino", [.caseless, .extended]).isEmpty)
        #expect(literals("(?x) c a s i n o").isEmpty)
        #expect(literals("(*UCP)casino").isEmpty)
        #expect(literals("(?(1)casino|poker)").isEmpty)
        #expect(literals("(casino)(?1)").isEmpty)
        #expect(literals("casino{,3}").isEmpty)            // PCRE2 versions read this differently
        #expect(literals(#"\101casino"#).isEmpty)          // octal
    }

    /// The safety property, checked by brute force: whenever PCRE2 finds a match, the folded
    /// text contains a literal of every required group. A failure here means a rule would be
    /// skipped on a comment it matches.
    @Test func everyMatchContainsTheRequiredLiterals() throws {
        let patterns = [
            #"\bcasino\b"#, #"\bsub(?:scribe|scribing)?\s+(?:to\s+)?(?:my|me)\b"#, #"fr[e3]{2}\s+money"#,
            #"(?i)kiss|spam"#, #"SKY[\-_.]?SEX"#, #"(?-i:ABC)def"#, #"(?:https?://|www\.)\S+"#,
            #"[$€£]\s?\d+|\d+\s?(?:usd|eur)"#, #"\bvisit\b.{0,20}\bsite\b"#, #"(?<=@)example\.com"#,
            #"a{2}bc{1,3}d"#, #"x(?:yz)+w"#, #"[k-m]ong"#, #"(?|(kik)|(skype))\s*:"#, #"\x{41}\x42c"#,
            #"\Q$$$\E"#, #"(?>sell|buy)ing"#, #"[[:alpha:]]+ing\b"#, #"[]x]yz"#, #"\\bq"#, #"ss|ß"#,
            #"\b(?=\w*[a-z])(?=\w*[\x{0400}-\x{04FF}])\w+\b"#, #"[\x{1F300}-\x{1FAFF}]{2,}"#, #"[α-ω]{3}"#,
            #"[\x{0400}-\x{04FF}]"#, #"[ϐ-ϗ]"#, #"[À-ÿ]x"#, #"(?<=é)t"#, #"(?!casino)\w+"#,
            #"\b\w{12,}\b"#, #"\d{4,}"#, #"[0-9]{3}-[0-9]{4}"#, #"[a-z]{5}"#, #"[A-Z]{4}"#, #"[\d_]{4}"#,
        ]
        let texts = [
            "Casino", "CASINO night", "casinos", "sub to me", "SUBSCRIBING TO MY channel", "Fr33 MONEY", "fre3 money",
            "\u{212A}ISS", "\u{017F}pam", "\u{017F}\u{212A}y sex", "SKY-SEX", "ABCdef", "abcDEF", "HTTPS://x.y",
            "www.example.com", "€ 5", "£12", "10 USD", "visit our fine site", "mail@example.com", "aabcccd", "xyzyzw",
            "LONG", "Kong", "\u{212A}ong", "kik:", "SKYPE :", "ABc", "$$$", "selling", "BUYING", "Running", "]yz", "xyz",
            "\\bq", "ß", "SS", "", "nothing to see", "pаypal", "PАYPAL", "ᲀx", "ᲂ", "😀😀", "🎉🎉🎉", "ΣΑΣ", "ςσς",
            "ϑ", "Θ", "ϴ", "ÀX", "ÿx", "Ÿx", "ÉT", "ét", "casino",
            "antidisestablishment", "naïveté-résumé", "call 555-1234", "٣٤٥٦", "1_2_", "ſſſſſ", "\u{212A}\u{212A}\u{212A}\u{212A}",
            "a1b2c3d4e5f6", "ÀÉÎÕÜ",
        ]
        let session = MatchSession(limits: .standard)
        for pattern in patterns {
            for options in [RegexOptions.caseless, [.caseless, .unicodeProperties], []] {
                let regex = try Regex(pattern, options: options)
                let required = RequiredLiterals(pattern: pattern, options: options)
                for text in texts {
                    guard case .match = session.firstMatch(of: regex, in: text) else { continue }
                    #expect(required.isMet(by: text),
                            "\(pattern) matches \(text.debugDescription) but \(required) is not met in it")
                }
            }
        }
    }
}
