import Foundation
import Hummingbird
import NASQuery

/// The dashboard's answers: HTML pages, SVG plots, JSON, CSV and plain text, and the errors as
/// one line that names what was not found or not understood.
enum Reply {
    static func make(_ status: HTTPResponse.Status = .ok, type: String, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func html(_ text: String) -> Response { make(type: "text/html; charset=utf-8", text) }
    static func svg(_ text: String) -> Response { make(type: "image/svg+xml; charset=utf-8", text) }
    static func text(_ text: String) -> Response { make(type: "text/plain; charset=utf-8", text) }

    static func csv(_ text: String, fileName: String) -> Response {
        var response = make(type: "text/csv; charset=utf-8", text)
        response.headers[.contentDisposition] = "attachment; filename=\"\(fileName)\""
        return response
    }

    static func json(_ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return make(type: "application/json", String(decoding: try encoder.encode(value), as: UTF8.self))
        } catch {
            return failure(.internalServerError, "cannot encode the answer: \(error)", api: true)
        }
    }

    /// An error: `{"error": "..."}` under `/api`, a small page otherwise.
    static func failure(_ status: HTTPResponse.Status, _ message: String, api: Bool) -> Response {
        if api {
            let body = (try? JSONEncoder().encode(["error": message])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return make(status, type: "application/json", body)
        }
        let page = HTML.page(title: "\(status.code)", body: "<h1>\(status.code) \(HTML.escape(status.reasonPhrase))</h1><p id=\"error\">\(HTML.escape(message))</p>")
        return make(status, type: "text/html; charset=utf-8", page)
    }

    /// Runs `work`, turning a thrown error into an answer: 400 for bad input, 500 otherwise.
    static func guarded(api: Bool, _ work: () throws -> Response) -> Response {
        do {
            return try work()
        } catch let refusal as CandidateTableRequest.Refusal {
            return failure(.badRequest, refusal.description, api: api)
        } catch let error as QueryError {
            return failure(error.isBadInput ? .badRequest : .internalServerError, error.description, api: api)
        } catch {
            return failure(.internalServerError, String(describing: error), api: api)
        }
    }
}
