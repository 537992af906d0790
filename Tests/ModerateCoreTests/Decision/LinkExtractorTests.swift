import Foundation
import PCRE2
@testable import ModerateCore
import Testing

@Suite struct LinkExtractorTests {
    let session = MatchSession()

    func hosts(_ text: String, policy: LinkPolicy = LinkPolicy()) -> [String] {
        PreparedComment(comment(text), linkPolicy: policy).links(session: session).body.map(\.host)
    }

    @Test(arguments: [
        ("see https://www.Example.com/page?x=1.", ["example.com"]),
        ("visit www.cheap-pills.example", ["cheap-pills.example"]),
        ("my blog megasite.blogspot.co.uk/ is new", ["megasite.blogspot.co.uk"]),
        ("go to example dot com now", ["example.com"]),
        ("go to example(.)com or example[.]net", ["example.com", "example.net"]),
        ("ｅｘａｍｐｌｅ．ｃｏｍ and sp4m。xyz", ["example.com", "sp4m.xyz"]),
        ("<a href=\"http://hidden.example.org/x\">click here</a>", ["hidden.example.org"]),
        ("[my shop](https://shop.example.com/deal)", ["shop.example.com"]),
        ("mail me: someone@example.com", []),
        ("e.g. the U.S. version, i.e. 3.5 hours, see setup.py", []),
        ("watch it on movie2k.com or watchfreemovies.allalla.com", ["movie2k.com", "watchfreemovies.allalla.com"]),
        ("say thanks at saythankyou.co, hh.nl and shop.xn--p1ai", ["saythankyou.co", "hh.nl", "shop.xn--p1ai"]),
        ("I read it on bbc.co.uk.", ["bbc.co.uk"]),
        ("go to example (dot) com, example [dot] net or example . org", ["example.com", "example.net", "example.org"]),
        ("visit moviesDOTcom today", ["movies.com"]),
        ("visit MOVIE2K.COMl now", ["movie2k.com"]),
        ("code at paste.sh/abc12 and notes.md/intro", ["paste.sh", "notes.md"]),
        ("the end.Live it up, and site.com.Then more", ["site.com"]),
    ])
    func findsLinksInEveryDisguise(text: String, expected: [String]) {
        #expect(hosts(text) == expected)
    }

    /// Dotted words of ordinary text that are not links: unknown endings, endings that are
    /// words or file extensions without a path, sentences without their space, one-letter names.
    @Test(arguments: [
        "I use node.js and file.txt, version 3.5 or v1.2.3",
        "Mr.Smith went to st.louis, e.g. last year",
        "the end.Then it started again.It was great",
        "run setup.py then read notes.md and build.sh",
        "this.is it, go.to bed, love.it, i.e. the a.m. show",
        "an anecdotal pdotcom word, the dotcom era",
        "J.K.Rowling and U.S.A. and No.1",
    ])
    func ordinaryDottedWordsAreNotLinks(text: String) {
        #expect(hosts(text) == [])
    }

    @Test func flagsIPHostsPunycodeAndMixedScript() {
        let links = PreparedComment(comment("http://203.0.113.9/x http://xn--pple-43d.com pаypal.com"))
            .links(session: session).body
        #expect(links.map(\.flags) == [["ip-host"], ["punycode"], ["mixed-script"]])
        #expect(links.last?.host == "paypal.com")
    }

    @Test func allowedDomainsDoNotCount() {
        let policy = LinkPolicy(allowedDomains: ["example.org"])
        #expect(hosts("https://example.org/a https://blog.example.org/b https://notexample.org/c", policy: policy) == ["notexample.org"])
    }
}
