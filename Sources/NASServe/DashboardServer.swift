import Foundation
import Hummingbird
import NASQuery

/// The `layernas serve` HTTP server (Hummingbird): read-only pages and a JSON API over the
/// databases of a `DashboardCatalog`, with the access token checked on every request when there
/// is one. Routes are listed in README "Dashboard"; docs/ARCHITECTURE.md#dashboard says why it
/// is built this way.
package enum DashboardServer {
    /// Why the server could not start.
    package struct StartFailure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Serves until the process gets SIGINT or SIGTERM. `started` is called once the socket
    /// listens, with the port it listens on (the chosen one when `address.port` is 0).
    /// - Throws: `StartFailure` when the address cannot be bound (port in use, address not on
    ///   this machine).
    package static func run(
        catalog: DashboardCatalog, address: ListenAddress, token: String?, started: @escaping @Sendable (Int) -> Void
    ) async throws {
        let router = Router()
        router.add(middleware: SecurityHeaders())
        if let token { router.add(middleware: AccessGate(token: token)) }
        DashboardRoutes.add(to: router, catalog: catalog)
        APIRoutes.add(to: router, catalog: catalog)
        let listening = ListeningFlag()
        var application = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "layernas"),
            onServerRunning: { channel in
                listening.set()
                started(channel.localAddress?.port ?? address.port)
            })
        application.logger.logLevel = .error
        do {
            try await application.runService()
        } catch {
            if !listening.isSet {
                throw StartFailure(description: "cannot listen on \(address.authority(port: address.port)): \(error)")
            }
            throw error
        }
    }

    /// Whether the server got as far as listening (set from the server's task).
    final class ListeningFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }
}
