using System.Text.Json;

namespace Retab.Runs.Contracts;

/// <summary>A block of the workflow draft as it was when the run was planned.</summary>
public sealed record BlockSnapshot(string BlockId, string Type, string? Name, JsonElement Config);
