namespace Retab.Runs.Gateway.Files;

/// <summary>Section <c>Files</c>: upload limits and the signed URLs the gateway hands out.</summary>
public sealed class FilesOptions
{
    public const string Section = "Files";

    /// <summary>Largest file accepted (413 beyond), at upload start, while bytes stream in, and at completion.</summary>
    public long MaxBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>
    /// HMAC key of upload and download URLs. Every gateway behind one load balancer needs the same key. When empty,
    /// <see cref="SigningKeyFile"/> holds a generated one; without that either, each process generates its own.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Where a generated signing key is kept (the standalone host: next to its API key in the data folder).</summary>
    public string? SigningKeyFile { get; set; }

    public TimeSpan UploadUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan DownloadUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Scheme, host and path base of the URLs handed out, when clients reach the gateway through a proxy; else the request's own.</summary>
    public string? PublicBaseUrl { get; set; }
}
