namespace Retab.Runs.Core.Files;

/// <summary>What completing an upload learned from the bytes themselves.</summary>
public sealed record FileFacts(string MimeType, long SizeBytes, string Sha256, int PageCount, IReadOnlyList<string> PageTexts);
