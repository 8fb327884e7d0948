import Foundation
import Hummingbird

/// Checks the access token on every request when the dashboard has one (always on a
/// non-loopback bind). A client presents it as `Authorization: Bearer TOKEN`, as `?token=TOKEN`
/// (the link printed at start: the answer then sets a cookie so the pages' own requests carry
/// it), or as that cookie. Anything else gets 401 and no data (docs/ARCHITECTURE.md#dashboard).
struct AccessGate<Context: RequestContext>: RouterMiddleware {
    let token: String
    static var cookieName: String { "layernas_token" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let bearer = request.headers[.authorization].flatMap { value -> String? in
            value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : nil
        }
        let fromQuery = request.uri.queryParameters.get("token")
        let fromCookie = request.cookies[Self.cookieName]?.value
        guard [bearer, fromQuery, fromCookie].contains(where: { $0.map(matches) == true }) else {
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            headers[.wwwAuthenticate] = "Bearer"
            return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(
                string: "401 unauthorized: this dashboard needs its access token (printed when it started): open the printed link, or send Authorization: Bearer TOKEN\n")))
        }
        var response = try await next(request, context)
        if fromQuery.map(matches) == true {
            response.setCookie(Cookie(name: Self.cookieName, value: token, path: "/", httpOnly: true))
        }
        return response
    }

    /// Compares in time independent of where the texts differ.
    func matches(_ presented: String) -> Bool {
        let left = Array(presented.utf8)
        let right = Array(token.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
