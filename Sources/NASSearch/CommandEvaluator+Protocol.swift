import Foundation
import NASSpace

// The protocol between layernas and an external trainer: the request document it writes, the
// environment it sets, and the result line it reads back (README, "External trainers").

extension CommandEvaluator {
    /// Version of the request document, `protocol` in its JSON.
    package static let protocolVersion = 1

    /// The JSON document a command gets on standard input and in `request.json`.
    ///
    /// ```json
    /// {"protocol": 1, "search": "ext", "candidate_id": 7, "attempt": 1, "arch": "128-skip",
    ///  "seed": 1, "workdir": "/abs/runs/ext-artifacts/7", "family": "mlp",
    ///  "input": {"height": 28, "width": 28, "channels": 1}, "classes": 10,
    ///  "layers": [{"layer": 1, "name": "hidden1", "option": 2, "label": "128", "units": 128}, ...],
    ///  "costs": {"madds": 101632, "params": 101770},
    ///  "target": {"metric": "params", "min": 50000, "max": 120000},
    ///  "training": {"epochs": 1, "batch_size": 128, ...}}
    /// ```
    package struct RequestDocument: Sendable, Equatable, Codable {
        /// Version of the request document, `protocol` in its JSON.
        package var protocolVersion: Int
        /// Name of the search the candidate belongs to.
        package var search: String
        /// Row id of the candidate to train.
        package var candidateID: Int64
        /// Which attempt at evaluating the candidate this is, from 1.
        package var attempt: Int
        /// Canonical architecture key, e.g. `128-skip`.
        package var arch: String
        /// Seed of the training recipe.
        package var seed: UInt64
        /// Absolute path of the candidate's working directory.
        package var workdir: String
        /// Model family of the search space.
        package var family: String
        /// Input image shape, if the space has one.
        package var input: ImageShape?
        /// Number of output classes, if the space has one.
        package var classes: Int?
        /// `flatten` or `global_average_pool` (`mlp`, `cnn`, `mobilenet`).
        package var head: String?
        /// The fixed stem conv and optional 1×1 head conv around the blocks (`mobilenet` only):
        /// `{"stem_channels": 16, "stem_kernel": 3, "stem_stride": 2, "head_channels": 0}`.
        package var frame: MobileNetFrame?
        /// Chosen option for each searchable layer.
        package var layers: [Layer]
        /// Every cost metric the family computes, by name (`cost`, `madds`, `params`).
        package var costs: [String: Double]
        /// The search's target cost window.
        package var target: CostTarget
        /// Training recipe the trainer should follow, with the spec's (snake_case) field names.
        package var training: TrainingRecipe

        /// The chosen option of one search layer, with its fields.
        package struct Layer: Sendable, Equatable, Codable {
            /// 1-based layer number.
            package var layer: Int
            /// Layer's name in the search space.
            package var name: String
            /// 0-based index of the option in the layer's list.
            package var option: Int
            /// Label of the chosen option.
            package var label: String
            /// `custom` options.
            package var cost: Double?
            /// `mlp` options (0 removes the layer).
            package var units: Int?
            /// `cnn` and `mobilenet` options (0 channels removes the layer or skips the block).
            package var channels: Int?
            /// Convolution kernel size, for convolutional options.
            package var kernel: Int?
            /// Convolution stride, for convolutional options.
            package var stride: Int?
            /// Max pooling window after the conv; absent when the option has none.
            package var pool: Int?
            /// Expansion ratio of a `mobilenet` inverted residual block (hidden channels = input
            /// channels × expansion; 1: no expand conv).
            package var expansion: Int?
            /// Whether a `mobilenet` block adds its input to its output (stride 1 and as many
            /// channels out as in); absent for other families and skipped blocks.
            package var residual: Bool?
        }

        // Keys are converted to snake_case by the coders below (`candidateId` → `candidate_id`).
        enum CodingKeys: String, CodingKey {
            case protocolVersion = "protocol", search, candidateID = "candidateId", attempt, arch, seed, workdir, family
            case input, classes, head, frame, layers, costs, target, training
        }

        /// The document for one request, the candidate's files being in `workdir`.
        package init(request: EvaluationRequest, workdir: String) {
            let space = request.space
            let recipe = space.training
            protocolVersion = CommandEvaluator.protocolVersion
            search = request.searchName
            candidateID = request.candidateID
            attempt = request.attempt
            arch = request.key
            seed = recipe.seed
            self.workdir = workdir
            family = space.family.rawValue
            input = space.input
            classes = space.classes
            head = space.head?.rawValue
            frame = space.frame
            // A block's residual depends on the channels it receives: the stem's, or the last
            // block's that was not skipped.
            var channels = space.frame?.stemChannels ?? 0
            layers = zip(space.layers, request.architecture.optionIndices).enumerated().map { position, pair in
                let (layer, index) = pair
                let option = layer.options[index]
                var entry = Layer(layer: position + 1, name: layer.name, option: index, label: option.label)
                switch option.kind {
                case .custom(let cost): entry.cost = cost
                case .dense(let units): entry.units = units
                case .conv(let channels, let kernel, let stride, let pool):
                    entry.channels = channels
                    entry.kernel = kernel
                    entry.stride = stride
                    entry.pool = pool > 1 ? pool : nil
                case .invertedResidual(let outputs, let kernel, let expansion, let stride):
                    entry.channels = outputs
                    entry.kernel = kernel
                    entry.expansion = expansion
                    entry.stride = stride
                    if outputs > 0 {
                        entry.residual = ModelLayer.hasResidual(stride: stride, inputChannels: channels, channels: outputs)
                        channels = outputs
                    }
                }
                return entry
            }
            costs = Dictionary(uniqueKeysWithValues: request.costs.byMetric.map { ($0.metric.rawValue, $0.value) })
            target = space.target
            training = recipe
        }

        /// Pretty-printed JSON with sorted keys, ending with a newline.
        package func encoded() -> Data {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            // Every value is finite: costs and recipes come from a validated space.
            let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
            return data + Data("\n".utf8)
        }

        /// Reads a document as `encoded()` writes it.
        package static func decoded(from data: Data) throws -> RequestDocument {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(RequestDocument.self, from: data)
        }
    }

    /// The `LAYERNAS_*` variables a command gets, on top of layernas's own environment.
    static func environmentVariables(for document: RequestDocument, requestPath: String) -> [String: String] {
        [
            "LAYERNAS_SEARCH": document.search,
            "LAYERNAS_CANDIDATE_ID": String(document.candidateID),
            "LAYERNAS_ATTEMPT": String(document.attempt),
            "LAYERNAS_ARCH": document.arch,
            "LAYERNAS_SEED": String(document.seed),
            "LAYERNAS_WORKDIR": document.workdir,
            "LAYERNAS_REQUEST": requestPath,
        ]
    }

    /// Reads the result line a command printed last on standard output:
    /// `{"score": 0.91, "metrics": {"loss": 0.3}, "curve": [{"epoch": 1, "validation_accuracy": 0.9}]}`.
    ///
    /// `score` is required and must be a finite number; `metrics` (an object of finite numbers)
    /// and `curve` (an array of objects with `epoch` and any of `train_loss`, `train_accuracy`,
    /// `validation_accuracy`, `seconds`) are optional; other keys are ignored. `{"error": "..."}`
    /// without a score reports a permanent failure in the command's own words. `NaN` and
    /// `Infinity` (as Python's `json.dumps` writes them) are read, then refused as non-finite.
    ///
    /// - Throws: `EvaluationError.failed` naming the field and the value; retrying would not help.
    package static func parseResult(line: String) throws(EvaluationError) -> (score: Double, metrics: [String: Double], curve: [EpochPoint]) {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        let value: JSONValue
        do {
            value = try decoder.decode(JSONValue.self, from: Data(line.utf8))
        } catch {
            throw .failed("the last line of standard output is not JSON: '\(abbreviated(line))'")
        }
        guard case .object(let object) = value else {
            throw .failed("the last line of standard output is not a JSON object: '\(abbreviated(line))'")
        }
        guard let scoreValue = object["score"], scoreValue != .null else {
            if case .string(let message)? = object["error"] {
                throw .failed("the command reported: \(abbreviated(message))")
            }
            throw .failed("the result has no \"score\": '\(abbreviated(line))'")
        }
        let score = try finiteNumber(scoreValue, field: "score")

        var metrics: [String: Double] = [:]
        switch object["metrics"] {
        case nil, .null?: break
        case .object(let entries)?:
            for (name, entry) in entries {
                metrics[name] = try finiteNumber(entry, field: "metrics.\(name)")
            }
        case let other?:
            throw .failed("\"metrics\" must be an object of numbers, got \(other.kind)")
        }

        var curve: [EpochPoint] = []
        switch object["curve"] {
        case nil, .null?: break
        case .array(let points)?:
            for (index, point) in points.enumerated() {
                let field = "curve[\(index)]"
                guard case .object(let fields) = point else {
                    throw .failed("\"\(field)\" must be an object, got \(point.kind)")
                }
                func optional(_ name: String) throws(EvaluationError) -> Double? {
                    guard let entry = fields[name], entry != .null else { return nil }
                    return try finiteNumber(entry, field: "\(field).\(name)")
                }
                var epoch = index + 1
                if let given = try optional("epoch") {
                    guard given >= 1, given <= Double(Int32.max), given.rounded() == given else {
                        throw .failed("\"\(field).epoch\" must be a positive integer, got \(given)")
                    }
                    epoch = Int(given)
                }
                curve.append(EpochPoint(
                    epoch: epoch, trainLoss: try optional("train_loss"), trainAccuracy: try optional("train_accuracy"),
                    validationAccuracy: try optional("validation_accuracy"), seconds: try optional("seconds")))
            }
            let epochs = curve.map(\.epoch)
            if Set(epochs).count != epochs.count {
                throw .failed("\"curve\" repeats an epoch number: \(epochs)")
            }
        case let other?:
            throw .failed("\"curve\" must be an array of objects, got \(other.kind)")
        }
        return (score, metrics, curve)
    }

    private static func finiteNumber(_ value: JSONValue, field: String) throws(EvaluationError) -> Double {
        guard case .number(let number) = value else {
            throw .failed("\"\(field)\" must be a number, got \(value.kind)")
        }
        guard number.isFinite else {
            throw .failed("\"\(field)\" must be finite, got \(number)")
        }
        return number
    }

    /// At most 200 characters of `text`, for error messages.
    static func abbreviated(_ text: String, limit: Int = 200) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}

/// Any JSON value, so that a result line can be checked field by field with clear messages.
private enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The JSON type name, for error messages.
    var kind: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return "\(value)"
        case .number(let value): return "\(value)"
        case .string(let value): return "the string \"\(CommandEvaluator.abbreviated(value, limit: 40))\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
