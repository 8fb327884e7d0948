import Foundation

/// Where the dashboard listens: an IP address (v4 or v6) or `localhost`, and a port. Only a
/// loopback address may be served without an access token (docs/ARCHITECTURE.md#dashboard).
package struct ListenAddress: Sendable, Equatable {
    package var host: String
    package var port: Int

    /// Why a `--host` or `--port` was refused.
    package struct Refusal: Error, CustomStringConvertible {
        package var description: String
    }

    /// Checks `host` (an IP address or `localhost`; no name lookups) and `port` (0 to 65535; 0
    /// lets the system choose a free one).
    package init(host: String, port: Int) throws(Refusal) {
        guard host == "localhost" || Self.isIPv4(host) || Self.isIPv6(host) else {
            throw Refusal(description: "--host \(host): not an IP address; give an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 or ::1, or localhost")
        }
        guard (0...65_535).contains(port) else {
            throw Refusal(description: "--port \(port): not a TCP port; give 0 to 65535 (0: any free port)")
        }
        self.host = host
        self.port = port
    }

    /// True for `localhost`, 127.0.0.0/8 and `::1`: only this machine can connect.
    package var isLoopback: Bool {
        if host == "localhost" { return true }
        if Self.isIPv4(host) { return host.hasPrefix("127.") }
        var address = in6_addr()
        guard inet_pton(AF_INET6, host, &address) == 1 else { return false }
        var loopback = in6addr_loopback
        return memcmp(&address, &loopback, MemoryLayout<in6_addr>.size) == 0
    }

    static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }

    /// The address as a URL authority: IPv6 in brackets.
    package func authority(port: Int) -> String {
        Self.isIPv6(host) ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
