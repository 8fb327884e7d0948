/// Collects the nodes and initializers of an ONNX `GraphProto` and writes it
/// (field numbers from onnx/onnx.proto; docs/ARCHITECTURE.md#onnx-encoding).
struct GraphBuilder {
    /// An `AttributeProto` of the two kinds the graph uses.
    enum Attribute {
        case int(String, Int)
        case ints(String, [Int])
    }

    private var nodes: [[UInt8]] = []
    private var initializers: [[UInt8]] = []
    private var initializerNames: Set<String> = []

    /// Whether an initializer of this name was added (shared constants are added once).
    func hasInitializer(_ name: String) -> Bool { initializerNames.contains(name) }

    /// Adds a node of the default domain; returns its output's name.
    mutating func node(_ operatorType: String, inputs: [String], output: String, attributes: [Attribute] = []) -> String {
        var node = ProtobufWriter()
        for input in inputs { node.string(1, input) }          // input
        node.string(2, output)                                   // output
        node.string(3, output)                                   // name
        node.string(4, operatorType)                             // op_type
        for attribute in attributes {
            node.message(5) { encoded in                          // attribute
                switch attribute {
                case .int(let name, let value):
                    encoded.string(1, name)                       // name
                    encoded.int(3, Int64(value))                  // i
                    encoded.int(20, 2)                            // type = INT
                case .ints(let name, let values):
                    encoded.string(1, name)
                    for value in values { encoded.int(8, Int64(value)) }  // ints (unpacked, as onnx writes them)
                    encoded.int(20, 7)                            // type = INTS
                }
            }
        }
        nodes.append(node.bytes)
        return output
    }

    /// Adds a float32 initializer (a `TensorProto` with little-endian `raw_data`); returns its name.
    /// Empty `dims` make a scalar (no `dims` field written).
    mutating func initializer(_ name: String, dims: [Int], values: [Float]) -> String {
        var tensor = ProtobufWriter()
        if !dims.isEmpty { tensor.packedInts(1, dims.map(Int64.init)) }  // dims
        tensor.int(2, 1)                                          // data_type = FLOAT
        tensor.string(8, name)                                    // name
        tensor.bytes(9, LittleEndianFloats.bytes(values))        // raw_data
        initializers.append(tensor.bytes)
        initializerNames.insert(name)
        return name
    }

    /// The `GraphProto`: nodes, initializers, one input and one output, each a float tensor whose
    /// `nil` dimensions are the symbolic `batch`.
    func graph(name: String, input: (String, [Int?]), inputDoc: String, output: (String, [Int?])) -> [UInt8] {
        var graph = ProtobufWriter()
        for node in nodes { graph.bytes(1, node) }               // node
        graph.string(2, name)                                     // name
        for tensor in initializers { graph.bytes(5, tensor) }     // initializer
        graph.bytes(11, Self.valueInfo(input.0, input.1, doc: inputDoc))   // input
        graph.bytes(12, Self.valueInfo(output.0, output.1, doc: nil))      // output
        return graph.bytes
    }

    private static func valueInfo(_ name: String, _ dims: [Int?], doc: String?) -> [UInt8] {
        var info = ProtobufWriter()
        info.string(1, name)                                      // name
        info.message(2) { type in                                 // type: TypeProto
            type.message(1) { tensor in                           // tensor_type
                tensor.int(1, 1)                                  // elem_type = FLOAT
                tensor.message(2) { shape in                      // shape: TensorShapeProto
                    for dim in dims {
                        shape.message(1) { dimension in           // dim
                            if let dim { dimension.int(1, Int64(dim)) } else { dimension.string(2, "batch") }
                        }
                    }
                }
            }
        }
        if let doc { info.string(3, doc) }                        // doc_string
        return info.bytes
    }
}
