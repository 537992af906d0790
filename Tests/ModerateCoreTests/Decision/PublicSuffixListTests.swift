@testable import ModerateCore
import Testing

@Suite struct PublicSuffixListTests {
    @Test(arguments: [
        ("movie2k.com", 1), ("bbc.co.uk", 2), ("hh.nl", 1), ("megasite.blogspot.co.uk", 2),
        ("shop.xn--p1ai", 1), ("a.b.kawasaki.jp", 3), ("city.kawasaki.jp", 2), ("co.uk", 2),
    ])
    func findsTheLongestMatchingSuffix(host: String, labels: Int) {
        #expect(PublicSuffixList.suffixLabelCount(of: host) == labels)
    }

    @Test(arguments: ["node.js", "file.txt", "3.5", "mr.smith", "st.louis", "v1.2.3", "end.then"])
    func unknownEndingsHaveNoSuffix(host: String) {
        #expect(PublicSuffixList.suffixLabelCount(of: host) == nil)
    }

    @Test func aSuffixAloneIsNotARegistrableHost() {
        #expect(PublicSuffixList.isRegistrableHost("bbc.co.uk"))
        #expect(!PublicSuffixList.isRegistrableHost("co.uk"))
        #expect(!PublicSuffixList.isRegistrableHost("x.kawasaki.jp"))
        #expect(PublicSuffixList.isRegistrableHost("city.kawasaki.jp"))
        #expect(!PublicSuffixList.isRegistrableHost("com"))
    }
}
