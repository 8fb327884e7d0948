import Foundation
import Testing
@testable import NASProcess

/// Finding and stopping commands left running by a killed layernas, by their environment.
@Suite struct LeftoverCommandsTests {
    static func startSleeper(request: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["30"]
        process.environment = ["LAYERNAS_REQUEST": request, "PATH": "/usr/bin:/bin"]
        try process.run()
        return process
    }

    @Test func onlyTheProcessesOfThatRequestAreStopped() throws {
        let unique = "/tmp/layernas-leftover-\(UUID().uuidString)"
        let leftover = try Self.startSleeper(request: "\(unique)/7/request.json")
        let neighbour = try Self.startSleeper(request: "\(unique)/8/request.json")
        defer { kill(neighbour.processIdentifier, SIGKILL); neighbour.waitUntilExit() }
        // Process.run returns once the child exists, but until its exec completes /proc shows the
        // parent's environment: wait (up to 10 s) for the sleepers' own.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, LeftoverCommands.processes(withRequest: "\(unique)/8/request.json").isEmpty
                || LeftoverCommands.processes(withRequest: "\(unique)/7/request.json").isEmpty {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(LeftoverCommands.processes(withRequest: "\(unique)/7/request.json") == [leftover.processIdentifier])
        #expect(LeftoverCommands.processes(withRequest: "\(unique)/7/request.jso").isEmpty, "a prefix must not match")

        let stopped = LeftoverCommands.stop(requestPath: "\(unique)/7/request.json", grace: 2)
        #expect(stopped == [leftover.processIdentifier])
        leftover.waitUntilExit()
        // SIGTERM, or SIGKILL after the grace when the test runner's children ignore SIGTERM.
        #expect(leftover.terminationReason == .uncaughtSignal && [SIGTERM, SIGKILL].contains(leftover.terminationStatus))
        #expect(neighbour.isRunning, "a process of another candidate was stopped")
        #expect(LeftoverCommands.stop(requestPath: "\(unique)/7/request.json", grace: 2).isEmpty)
    }
}
