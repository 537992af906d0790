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
    ])
    func findsLinksInEveryDisguise(text: String, expected: [String]) {
        #expect(hosts(text) == expected)
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
