using System.Net.Http.Headers;
using System.Text;

namespace Retab.Runs.Testing.Hostile;

/// <summary>Whose key a hostile request presents.</summary>
public enum Caller { Owner, Intruder, Anonymous, Invalid }

/// <summary>
/// One request the service must refuse with a 4xx in the documented shape. <see cref="GhostOf"/> marks an intrusion
/// probe (another organization's id): its answer must be byte-identical to the same request naming an id that does
/// not exist, once the id is masked, so an intruder learns nothing from the difference.
/// </summary>
public sealed record HostileRequest(string Category, HttpMethod Method, string Path, string? Body = null, Caller Caller = Caller.Owner)
{
    public string ContentType { get; init; } = "application/json";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The raw bytes to send instead of <see cref="Body"/> (invalid UTF-8 and such).</summary>
    public byte[]? RawBody { get; init; }

    /// <summary>For an intrusion probe: the victim's id in <see cref="Path"/>, and the nonexistent id its twin uses.</summary>
    public (string VictimId, string GhostId)? GhostOf { get; init; }

    public HttpRequestMessage ToMessage(string ownerKey, string intruderKey, string? pathOverride = null)
    {
        var message = new HttpRequestMessage(Method, pathOverride ?? Path);
        var key = Caller switch
        {
            Caller.Owner => ownerKey,
            Caller.Intruder => intruderKey,
            Caller.Invalid => "not-a-key-" + new string('z', 40),
            _ => null,
        };
        if (key is not null)
            message.Headers.TryAddWithoutValidation("Api-Key", key);
        foreach (var (name, value) in Headers)
            message.Headers.TryAddWithoutValidation(name, value);
        if (RawBody is not null || Body is not null)
        {
            message.Content = new ByteArrayContent(RawBody ?? Encoding.UTF8.GetBytes(Body!));
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        }
        return message;
    }

    public override string ToString() => $"[{Category}] {Method} {(Path.Length > 120 ? Path[..120] + "…" : Path)} as {Caller}";
}
