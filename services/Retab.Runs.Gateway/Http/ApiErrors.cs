using Retab.Runs.Core.Validation;

namespace Retab.Runs.Gateway.Http;

/// <summary>
/// The two error shapes of DESIGN §3.1: <c>{"detail": {"code", "message"}}</c> for 401/404/409/429 (and scope
/// errors), and FastAPI's <c>{"detail": [{"loc", "msg", "type"}]}</c> for body and query validation (422).
/// </summary>
public static class ApiErrors
{
    public static IResult Error(int status, string code, string message) =>
        Results.Json(new ErrorBody(new ErrorDetail(code, message)), statusCode: status);

    public static IResult NotFound(string code, string message) => Error(StatusCodes.Status404NotFound, code, message);

    public static IResult Conflict(string code, string message) => Error(StatusCodes.Status409Conflict, code, message);

    /// <summary>A 401 with the <c>WWW-Authenticate</c> challenge RFC 9110 requires: a bearer token (the API key) is what to send.</summary>
    public static IResult Unauthorized(string message) =>
        new WithHeader(Error(StatusCodes.Status401Unauthorized, "unauthorized", message), "WWW-Authenticate", "Bearer realm=\"retab-runs\"");

    public static IResult Validation(IEnumerable<FieldError> errors) =>
        Results.Json(new ValidationBody(errors.Select(e => new ValidationItem(e.Loc, e.Msg, e.Type)).ToList()), statusCode: StatusCodes.Status422UnprocessableEntity);

    public static IResult Validation(FieldError error) => Validation([error]);

    public sealed record ErrorBody(ErrorDetail Detail);

    /// <summary>A result with one more response header.</summary>
    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers[name] = value;
            return inner.ExecuteAsync(http);
        }
    }

    public sealed record ErrorDetail(string Code, string Message);

    public sealed record ValidationBody(IReadOnlyList<ValidationItem> Detail);

    public sealed record ValidationItem(IReadOnlyList<object> Loc, string Msg, string Type);
}
