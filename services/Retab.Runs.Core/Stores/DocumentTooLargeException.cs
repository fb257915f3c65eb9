using Retab.Runs.Core.Limits;

namespace Retab.Runs.Core.Stores;

/// <summary>
/// A store refused to write a document that would serialize larger than <see cref="ServiceLimits.MaxStoredDocumentBytes"/>.
/// Thrown before anything of the write lands, so the caller can tell a document that can never be stored (a 413 at the
/// gateway, an error result in the fan-in) from a store that is failing (retried).
/// </summary>
public sealed class DocumentTooLargeException(string kind, string documentId, long sizeBytes, long limitBytes)
    : Exception($"The {kind.Replace('_', ' ')} {documentId} would be stored as {sizeBytes} bytes, over the limit of {limitBytes} bytes " +
                $"for one stored document (Limits: MaxStoredDocumentBytes).")
{
    /// <summary>One of <see cref="StoredDocumentKind"/>.</summary>
    public string Kind { get; } = kind;

    /// <summary>The id of the document (for a result slot: the result id).</summary>
    public string DocumentId { get; } = documentId;

    public long SizeBytes { get; } = sizeBytes;

    public long LimitBytes { get; } = limitBytes;

    /// <summary>Every store calls this with the serialized size of a document before it writes it.</summary>
    public static void ThrowIfTooLarge(string kind, string documentId, long sizeBytes, long limitBytes = ServiceLimits.MaxStoredDocumentBytes)
    {
        if (sizeBytes > limitBytes)
            throw new DocumentTooLargeException(kind, documentId, sizeBytes, limitBytes);
    }
}
