import Foundation
import NASTestSupport
import Testing

/// docs/ARCHITECTURE.md#onnx-encoding, proof that the export deploys: for an MLP, a CNN with
/// pooling and a flatten head, a global-average-pool CNN and a MobileNet-style network (depthwise
/// convs, ReLU6, residual adds), the `.onnx` file passes
/// `onnx.checker`, and onnxruntime's logits on the 10,000 test images equal layernas's own
/// (argmax identical on ≥ 99.9% of images, logits within 1e-4), so its accuracy is the stored
/// test accuracy.
///
/// Needs Python with onnx, onnxruntime and numpy: `make test-onnx` installs them from PyPI into
/// `.build/onnx-venv` (scripts/onnx-venv.sh) and runs this suite; `$LAYERNAS_ONNX_PYTHON` names
/// another interpreter. Without them the suite is skipped, saying so.
@Suite(.enabled(if: ONNXPython.available,
                "no Python with onnx, onnxruntime and numpy at .build/onnx-venv/bin/python or $LAYERNAS_ONNX_PYTHON; `make test-onnx` installs them from PyPI"))
struct ONNXRoundTripTests {
    static let dataset = ProcessInfo.processInfo.environment["LAYERNAS_FASHION_MNIST"] ?? "/usr/share/datasets/fashion-mnist"

    @Test(arguments: [
        ("fashion-mlp.yaml", "256-skip-32-128", "0.1"),                          // dense layers
        ("fashion-cnn-pooled.yaml", "c16k5s1p2-c32k3s1p2", "0.1"),                 // conv, max pooling, flatten head
        ("fashion-cnn.yaml", "c16k5s2-c32k3s2-skip-c64k3s2-skip", "0.1"),          // conv (asymmetric padding), global average pool
        // stem, blocks without and with expansion, depthwise k3/k5 with stride 2 (asymmetric
        // padding), a residual block (64 → 64, stride 1); the space trains with Adam
        ("fashion-mobilenet.yaml", "skip-c24k3e1s2-skip-c64k5e3s2-c64k3e6s1", "0.003"),
    ])
    func theExportedModelRunsInONNXRuntimeAsInLayerNAS(space: String, arch: String, learningRate: String) throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("s.db")
        let search = try CommandRunner.run(["search", database, "--space", CommandRunner.example(space), "--evaluator", "synthetic",
                                            "--budget", "2", "--quiet"])
        #expect(search.status == 0, "\(search.stderr)")
        let model = directory.path("model.onnx")
        let retrain = try CommandRunner.run(["retrain", database, "--arch", arch, "--epochs", "1", "--train-subset", "2000",
                                             "--threads", "2", "--output", model, "--format", "json", "--learning-rate", learningRate])
        #expect(retrain.status == 0, "\(retrain.stderr)")
        let report = try RetrainCommandTests.json(retrain.stdout)
        let stored = try #require(report["test_accuracy"] as? Double)
        #expect(report["onnx"] as? String == model)

        // export-model writes the same bytes, and layernas's own logits beside them.
        let again = directory.path("again.onnx"), logits = directory.path("logits.f32")
        let export = try CommandRunner.run(["export-model", database, "--output", again, "--logits", logits, "--threads", "2"])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(fileBytes(model) == fileBytes(again))
        #expect(fileBytes(logits)?.count == 10_000 * 10 * 4)

        let check = try CommandRunner.run([CommandRunner.packageRoot.appendingPathComponent("scripts/check-onnx.py").path,
                                           model, logits, Self.dataset], executable: ONNXPython.path)
        #expect(check.status == 0, "\(check.stderr)")
        let result = try RetrainCommandTests.json(check.stdout)
        print("\(space) \(arch): \(check.stdout)", terminator: "")
        #expect(result["checker"] as? String == "ok" && result["opset"] as? Int == 13 && result["images"] as? Int == 10_000)
        let agreement = try #require(result["argmax_agreement"] as? Double)
        #expect(agreement >= 0.999)
        #expect(try #require(result["max_abs_logit_difference"] as? Double) <= 1e-4)
        // Equal, up to the images whose argmax differs (none in practice).
        #expect(abs(try #require(result["accuracy"] as? Double) - stored) <= (1 - agreement) + 1e-9)
        #expect(stored > 0.2, "the model learnt something (chance is 0.1), so agreeing predictions are not all one class")
        #expect((result["input_normalisation"] as? String)?.contains("divided by 255") == true)
    }
}

/// The Python interpreter the round-trip tests use, and whether it has what they need.
enum ONNXPython {
    static let path: String = ProcessInfo.processInfo.environment["LAYERNAS_ONNX_PYTHON"]
        ?? CommandRunner.packageRoot.appendingPathComponent(".build/onnx-venv/bin/python").path

    static let available: Bool = {
        guard FileManager.default.isExecutableFile(atPath: path) else { return false }
        return (try? CommandRunner.run(["-c", "import onnx, onnxruntime, numpy"], executable: path))?.status == 0
    }()
}
