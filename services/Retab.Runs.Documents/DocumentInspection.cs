namespace Retab.Runs.Documents;

public enum InspectionFailure { None, Unsupported, Unreadable }

/// <summary>What <see cref="DocumentInspector"/> learned: the type, the text of each page, or why the content is refused.</summary>
public sealed record DocumentInspection(string? MimeType, IReadOnlyList<string> Pages, int PageCount, InspectionFailure Failure = InspectionFailure.None, string? Message = null)
{
    public bool Succeeded => Failure == InspectionFailure.None;

    public static DocumentInspection Refused(InspectionFailure failure, string message) => new(null, [], 0, failure, message);
}
