/// The stored form of an option kind, inside the space JSON of every search:
/// `{"custom": {"cost": 1.5}}`, `{"dense": {"units": 256}}`,
/// `{"conv": {"channels": 16, "kernel": 3, "stride": 1}}`,
/// `{"invertedResidual": {"channels": 24, "kernel": 5, "expansion": 6, "stride": 2}}` and, with pooling, `"pool": 2` in the
/// conv object. `pool` is written only when pooling is on and reads as 1 when absent, so spaces
/// stored before pooling existed read back unchanged and new spaces without pooling are stored
/// byte for byte as before.
extension LayerOption.Kind: Codable {
    private enum CaseKey: String, CodingKey {
        // No raw value: a snake_case coder (the request document) writes and reads
        // `inverted_residual`, the store's plain coder `invertedResidual`, as for MobileNetFrame's keys.
        case custom, dense, conv, invertedResidual
    }

    private enum FieldKey: String, CodingKey {
        case cost, units, channels, kernel, stride, pool, expansion
    }

    /// Decodes an option from its JSON form in a space file.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CaseKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an option kind needs exactly one of custom, dense, conv, invertedResidual"))
        }
        let fields = try container.nestedContainer(keyedBy: FieldKey.self, forKey: key)
        switch key {
        case .custom:
            self = .custom(cost: try fields.decode(Double.self, forKey: .cost))
        case .dense:
            self = .dense(units: try fields.decode(Int.self, forKey: .units))
        case .conv:
            self = .conv(
                channels: try fields.decode(Int.self, forKey: .channels),
                kernel: try fields.decode(Int.self, forKey: .kernel),
                stride: try fields.decode(Int.self, forKey: .stride),
                pool: try fields.decodeIfPresent(Int.self, forKey: .pool) ?? 1
            )
        case .invertedResidual:
            self = .invertedResidual(
                channels: try fields.decode(Int.self, forKey: .channels),
                kernel: try fields.decode(Int.self, forKey: .kernel),
                expansion: try fields.decode(Int.self, forKey: .expansion),
                stride: try fields.decode(Int.self, forKey: .stride)
            )
        }
    }

    /// Encodes the option in its space-file JSON form.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CaseKey.self)
        switch self {
        case .custom(let cost):
            var fields = container.nestedContainer(keyedBy: FieldKey.self, forKey: .custom)
            try fields.encode(cost, forKey: .cost)
        case .dense(let units):
            var fields = container.nestedContainer(keyedBy: FieldKey.self, forKey: .dense)
            try fields.encode(units, forKey: .units)
        case .conv(let channels, let kernel, let stride, let pool):
            var fields = container.nestedContainer(keyedBy: FieldKey.self, forKey: .conv)
            try fields.encode(channels, forKey: .channels)
            try fields.encode(kernel, forKey: .kernel)
            try fields.encode(stride, forKey: .stride)
            if pool > 1 { try fields.encode(pool, forKey: .pool) }
        case .invertedResidual(let channels, let kernel, let expansion, let stride):
            var fields = container.nestedContainer(keyedBy: FieldKey.self, forKey: .invertedResidual)
            try fields.encode(channels, forKey: .channels)
            try fields.encode(kernel, forKey: .kernel)
            try fields.encode(expansion, forKey: .expansion)
            try fields.encode(stride, forKey: .stride)
        }
    }
}
