import Foundation
import Testing
@testable import NASSearch
import NASSpace

/// The pure halves of the command protocol: splitting the command line and reading the result
/// line.
@Suite struct CommandEvaluatorParsingTests {
    @Test(arguments: [
        ("python3 train.py", ["python3", "train.py"]),
        ("  python3   train.py\t--fast \n", ["python3", "train.py", "--fast"]),
        (#"python3 train.py --tag "wide net" -x 'a b'"#, ["python3", "train.py", "--tag", "wide net", "-x", "a b"]),
        (#"run --name="a b"c'd e'"#, ["run", "--name=a bcd e"]),
        (#"sh -c 'srun -n1 python3 t.py "$LAYERNAS_ARCH" | tail -1'"#, ["sh", "-c", #"srun -n1 python3 t.py "$LAYERNAS_ARCH" | tail -1"#]),
        (#"echo a\ b \"q\" \\"#, ["echo", "a b", "\"q\"", "\\"]),
        (#"echo "x\"y\\z\n""#, ["echo", #"x"y\z\n"#]),
        ("echo '' \"\"", ["echo", "", ""]),
        ("echo a\\\nb", ["echo", "ab"]),
        ("train.py --glob=*.pt a~b", ["train.py", "--glob=*.pt", "a~b"]),
        ("'my trainer' --x", ["my trainer", "--x"]),
        (#"sh -c "cd /scratch/me && exec python3 train.py --gpu \$GPU""#, ["sh", "-c", "cd /scratch/me && exec python3 train.py --gpu $GPU"]),
    ])
    func commandLineIsSplitLikeAShellSplitsWords(line: String, words: [String]) throws {
        #expect(try CommandEvaluator.parse(commandLine: line) == words)
    }

    @Test(arguments: [
        ("", "no program given"),
        ("   ", "no program given"),
        ("'' x", "no program given"),
        ("python3 'train.py", "unterminated single quote"),
        (#"python3 "train.py"#, "unterminated double quote"),
        ("python3 train.py \\", "trailing backslash"),
        ("python3 train.py | tail -1", "unquoted '|' at character 18"),
        ("python3 train.py > out", "unquoted '>'"),
        ("python3 train.py; echo", "unquoted ';'"),
        ("python3 train.py &", "unquoted '&'"),
        ("python3 $HOME/train.py", "unquoted '$'"),
        (#"python3 "$HOME/train.py""#, "'$' inside double quotes"),
        ("python3 ~/train.py", "'~' at character 9"),
    ])
    func badCommandLinesAreRefusedNamingTheProblem(line: String, message: String) {
        #expect {
            _ = try CommandEvaluator.parse(commandLine: line)
        } throws: { error in
            guard let error = error as? SearchError, case .badSetting(name: "evaluator", let text) = error else { return false }
            return text.contains(message) && text.hasPrefix("command:")
        }
    }

    @Test func programIsResolvedInPathAndAMissingOneIsRefused() throws {
        let sh = try CommandEvaluator.resolveExecutable("sh", searchPath: "/nonexistent:/bin:/usr/bin")
        #expect(sh.hasSuffix("/sh"))
        #expect(throws: SearchError.badSetting(name: "evaluator", message: "command: 'no-such-trainer-xyz' was not found in PATH")) {
            try CommandEvaluator.resolveExecutable("no-such-trainer-xyz", searchPath: "/bin:/usr/bin")
        }
        #expect(throws: SearchError.badSetting(name: "evaluator", message: "command: './no/such.py' is not an executable file")) {
            try CommandEvaluator.resolveExecutable("./no/such.py", searchPath: nil)
        }
        #expect(throws: SearchError.self) {
            try CommandEvaluator(commandLine: "python3 x.py", artifactsRoot: "/tmp", timeoutSeconds: 0)
        }
    }

    @Test func artifactsGoBesideTheDatabaseUnderItsWholeName() {
        #expect(ArtifactsDirectory.defaultRoot(database: "/data/runs/ext.db") == "/data/runs/ext.db-artifacts")
        #expect(ArtifactsDirectory.defaultRoot(database: "/data/runs/ext.sqlite") == "/data/runs/ext.sqlite-artifacts")
        #expect(ArtifactsDirectory.defaultRoot(database: "/data/search") == "/data/search-artifacts")
        let relative = ArtifactsDirectory.defaultRoot(database: "runs/ext.db")
        #expect(relative == FileManager.default.currentDirectoryPath + "/runs/ext.db-artifacts")
    }

    @Test func resultLineWithMetricsAndCurveIsRead() throws {
        let line = #"{"score": 0.91, "metrics": {"loss": 0.3, "params": 1200}, "curve": [{"epoch": 1, "train_loss": 0.9, "validation_accuracy": 0.8}, {"epoch": 2, "train_accuracy": 0.95, "seconds": 1.5}], "note": "ignored"}"#
        let result = try CommandEvaluator.parseResult(line: line)
        #expect(result.score == 0.91)
        #expect(result.metrics == ["loss": 0.3, "params": 1200])
        #expect(result.curve == [
            EpochPoint(epoch: 1, trainLoss: 0.9, trainAccuracy: nil, validationAccuracy: 0.8, seconds: nil),
            EpochPoint(epoch: 2, trainLoss: nil, trainAccuracy: 0.95, validationAccuracy: nil, seconds: 1.5),
        ])
    }

    @Test func scoreAloneIsEnoughAndEpochsDefaultToTheirPosition() throws {
        let bare = try CommandEvaluator.parseResult(line: #"{"score": 1}"#)
        #expect(bare.score == 1 && bare.metrics.isEmpty && bare.curve.isEmpty)
        let curve = try CommandEvaluator.parseResult(line: #"{"score": 0.5, "curve": [{"train_loss": 2}, {"train_loss": 1}]}"#).curve
        #expect(curve.map(\.epoch) == [1, 2])
    }

    @Test(arguments: [
        ("training done", "is not JSON"),
        ("[0.9]", "is not a JSON object"),
        (#"{"metrics": {"loss": 1}}"#, "has no \"score\""),
        (#"{"score": null}"#, "has no \"score\""),
        (#"{"score": "0.9"}"#, "\"score\" must be a number, got the string \"0.9\""),
        (#"{"score": NaN}"#, "\"score\" must be finite, got nan"),
        (#"{"score": Infinity}"#, "\"score\" must be finite, got inf"),
        (#"{"score": -Infinity}"#, "\"score\" must be finite, got -inf"),
        (#"{"score": true}"#, "\"score\" must be a number, got true"),
        (#"{"score": 0.9, "metrics": {"loss": NaN}}"#, "\"metrics.loss\" must be finite"),
        (#"{"score": 0.9, "metrics": {"device": "gpu"}}"#, "\"metrics.device\" must be a number"),
        (#"{"score": 0.9, "metrics": [1]}"#, "\"metrics\" must be an object of numbers"),
        (#"{"score": 0.9, "curve": {"epoch": 1}}"#, "\"curve\" must be an array"),
        (#"{"score": 0.9, "curve": [1]}"#, "\"curve[0]\" must be an object"),
        (#"{"score": 0.9, "curve": [{"epoch": 0}]}"#, "\"curve[0].epoch\" must be a positive integer"),
        (#"{"score": 0.9, "curve": [{"epoch": 1.5}]}"#, "\"curve[0].epoch\" must be a positive integer"),
        (#"{"score": 0.9, "curve": [{"epoch": 1}, {"epoch": 1}]}"#, "repeats an epoch number"),
        (#"{"score": 0.9, "curve": [{"epoch": 1, "train_loss": NaN}]}"#, "\"curve[0].train_loss\" must be finite"),
        (#"{"error": "CUDA unavailable"}"#, "the command reported: CUDA unavailable"),
    ])
    func badResultLinesArePermanentFailuresNamingTheField(line: String, message: String) {
        #expect {
            _ = try CommandEvaluator.parseResult(line: line)
        } throws: { error in
            guard let error = error as? EvaluationError, case .failed(let reason) = error else { return false }
            return reason.contains(message)
        }
    }

    @Test func requestDocumentCarriesEveryLayerOptionWithItsFields() throws {
        let space = try SearchHarness.example("fashion-cnn.yaml")
        let architecture = space.defaultArchitecture
        let request = EvaluationRequest(
            searchName: "cnn", candidateID: 3, attempt: 2, architecture: architecture, key: space.key(of: architecture),
            space: space, costs: space.costs(of: architecture), isCancelled: { false })
        let document = CommandEvaluator.RequestDocument(request: request, workdir: "/w/3")
        let decoded = try CommandEvaluator.RequestDocument.decoded(from: document.encoded())
        #expect(decoded == document)
        #expect(document.layers.count == space.layers.count)
        for (entry, option) in zip(document.layers, space.options(of: architecture)) {
            guard case .conv(let channels, let kernel, let stride, let pool) = option.kind else { Issue.record("not conv"); continue }
            #expect(entry.label == option.label)
            #expect(entry.channels == channels && entry.kernel == kernel && entry.stride == stride)
            #expect(entry.pool == (pool > 1 ? pool : nil))
            #expect(entry.units == nil && entry.cost == nil)
        }
        #expect(document.costs["madds"] == Double(try #require(request.costs.madds)))
        #expect(document.input == space.input && document.classes == 10 && document.head == "global_average_pool")
        let json = try #require(String(data: document.encoded(), encoding: .utf8))
        #expect(json.contains(#""protocol" : 1"#) && json.contains(#""batch_size" : "#) && json.contains(#""candidate_id" : 3"#))
    }

    @Test func requestDocumentDescribesMobileNetBlocksAndTheFixedLayers() throws {
        let space = try SearchHarness.example("fashion-mobilenet.yaml")
        // block1 skipped; block2 16 → 24 stride 2; block3 24 → 32; block4 32 → 64 stride 2;
        // block5 64 → 64 stride 1: the only residual.
        let architecture = try space.architecture(key: "skip-c24k5e6s2-c32k3e1s1-c64k3e3s2-c64k5e6s1")
        let request = EvaluationRequest(
            searchName: "mb", candidateID: 4, attempt: 1, architecture: architecture, key: space.key(of: architecture),
            space: space, costs: space.costs(of: architecture), isCancelled: { false })
        let document = CommandEvaluator.RequestDocument(request: request, workdir: "/w/4")
        #expect(try CommandEvaluator.RequestDocument.decoded(from: document.encoded()) == document)
        #expect(document.family == "mobilenet" && document.head == "global_average_pool")
        #expect(document.frame == MobileNetFrame(stemChannels: 16, stemKernel: 3, stemStride: 2, headChannels: 0))
        #expect(document.layers.map(\.channels) == [0, 24, 32, 64, 64])
        #expect(document.layers.map(\.kernel) == [3, 5, 3, 3, 5])
        #expect(document.layers.map(\.expansion) == [1, 6, 1, 3, 6])
        #expect(document.layers.map(\.stride) == [1, 2, 1, 2, 1])
        #expect(document.layers.map(\.residual) == [nil, false, false, false, true])
        let json = try #require(String(data: document.encoded(), encoding: .utf8))
        #expect(json.contains(#""stem_channels" : 16"#) && json.contains(#""head_channels" : 0"#) && json.contains(#""expansion" : 6"#))
    }
}
