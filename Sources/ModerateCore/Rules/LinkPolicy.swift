/// Which links do not count: the site's own and others the user trusts.
public struct LinkPolicy: Sendable {
    /// Domains whose links (and their subdomains' links) are left out of `links`, `domains`
    /// and the link count.
    public var allowedDomains: [String]

    public init(allowedDomains: [String] = []) { self.allowedDomains = allowedDomains.map { $0.lowercased() } }

    func allows(_ host: String) -> Bool {
        allowedDomains.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}
