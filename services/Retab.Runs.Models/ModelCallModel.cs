namespace Retab.Runs.Models;

/// <summary>
/// The model of the call in progress, for the HTTP resilience pipeline underneath it: the OpenAI client builds the
/// request, so the pipeline's retry callback cannot see the model otherwise. Set by <see cref="ModelFailures.CallAsync"/>,
/// an async method, so the value flows into the call and is gone once it returns.
/// </summary>
internal static class ModelCallModel
{
    private static readonly AsyncLocal<string?> Model = new();

    public static string? Current
    {
        get => Model.Value;
        set => Model.Value = value;
    }
}
