using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Retab.Runs.ServiceDefaults;

/// <summary>
/// The management listener answers its errors in the API's shape, <c>{"detail": {"code", "message"}}</c>: an unknown
/// path is a 404 with a body, and an unexpected failure a bare 500 — never a stack trace (the exception is logged).
/// </summary>
internal static class ManagementErrors
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplication UseManagementErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = http => WriteAsync(http, StatusCodes.Status500InternalServerError, "internal_error", "An unexpected error occurred; it has been logged."),
        });
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            return http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => WriteAsync(http, StatusCodes.Status404NotFound, "not_found", $"No route {http.Request.Path} exists."),
                StatusCodes.Status405MethodNotAllowed => WriteAsync(http, StatusCodes.Status405MethodNotAllowed, "method_not_allowed", $"{http.Request.Method} is not allowed on {http.Request.Path}."),
                var status => WriteAsync(http, status, "http_" + status, "The request could not be served."),
            };
        });
        return app;
    }

    private static Task WriteAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new ErrorBody(new ErrorDetail(code, message)), Json));
    }

    private sealed record ErrorBody(ErrorDetail Detail);

    private sealed record ErrorDetail(string Code, string Message);
}
