namespace Retab.Runs.Core.Documents;

/// <summary>
/// The file exists but cannot be handed to a worker (an image over the bus limit, say): the block cannot run on it,
/// which is the user's to fix, so it ends as the block's failure. The message names the setting.
/// </summary>
public sealed class DocumentUnavailableException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
