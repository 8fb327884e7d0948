import Foundation
import Testing
@testable import NASSpace

/// A seeded random-input fuzzer for the spec parser and the architecture-key parser: mutated
/// and random inputs must produce a space or a `SpaceError`, never a crash or a hang.
@Suite struct SpecFuzzTests {
    static let seeds: [String] = Examples.all.compactMap { try? String(contentsOfFile: Examples.path($0), encoding: .utf8) }
        + FixtureCatalog.cases.compactMap { try? String(contentsOfFile: $0.path, encoding: .utf8) }

    static let tokens = [
        "{", "}", "[", "]", ":", ",", "-", "\n", "  ", "&a", "*a", "!!binary", "'", "\"", "#", "name", "family",
        "layers", "options", "units", "channels", "kernel", "stride", "target", "metric", "min", "max", "cost",
        "0", "-1", "1e308", "99999999999999999999", "nan", ".inf", "null", "~", "true", "mlp", "cnn", "custom",
        "madds", "params", "training", "epochs", "label", "input", "classes", "\u{0}", "é", "🙂",
    ]

    /// One mutation: flip a byte, delete a range, duplicate a range, or insert a token.
    static func mutate(_ text: String, _ random: inout SplitMix64) -> String {
        var bytes = Array(text.utf8)
        let rounds = 1 + Int(random.next() % 4)
        for _ in 0..<rounds {
            let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
            switch random.next() % 4 {
            case 0 where !bytes.isEmpty:
                bytes[position] = UInt8(truncatingIfNeeded: random.next())
            case 1 where !bytes.isEmpty:
                let end = min(bytes.count, position + 1 + Int(random.next() % 40))
                bytes.removeSubrange(position..<end)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, position + 1 + Int(random.next() % 40))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            default:
                let token = tokens[Int(random.next() % UInt64(tokens.count))]
                bytes.insert(contentsOf: Array(token.utf8), at: position)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func mutatedSpecsNeverCrashOrHang(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let started = ContinuousClock.now
        var accepted = 0
        for iteration in 0..<600 {
            let base = Self.seeds[Int(random.next() % UInt64(Self.seeds.count))]
            let input = Self.mutate(base, &random)
            do {
                let space = try SpecLoader.parse(data: Data(input.utf8), file: "fuzz-\(seed)-\(iteration).yaml")
                accepted += 1
                // Whatever was accepted must be usable.
                _ = space.reachableRange
                _ = space.key(of: space.defaultArchitecture)
            } catch {
                #expect(!error.description.isEmpty)
                #expect(!error.description.contains("\n"))
            }
        }
        #expect(ContinuousClock.now - started < .seconds(120), "the parser is too slow on some input")
        #expect(accepted < 600)
    }

    @Test func deeplyNestedInputIsRefused() {
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        #expect(throws: SpaceError.self) { try SpecLoader.parse(text: "name: \(deep)", file: "deep.yaml") }
    }

    @Test func randomKeysNeverCrashTheKeyParser() throws {
        let space = try SpecLoader.load(path: Examples.path("fashion-cnn.yaml"))
        let alphabet = Array("c0123456789ks-skip-.,_ \u{0}é")
        var random = SplitMix64(seed: 9)
        for _ in 0..<5_000 {
            let length = Int(random.next() % 60)
            let key = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            if let architecture = try? space.architecture(key: key) {
                #expect(space.key(of: architecture) == key)
            }
        }
    }
}
