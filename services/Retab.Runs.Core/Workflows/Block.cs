using System.Text.Json.Nodes;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Core.Workflows;

/// <summary>One block of a workflow draft. <see cref="Config"/> is the type-specific configuration as the client sent it.</summary>
public sealed record Block(string Id, string Type, string Name, JsonObject Config)
{
    /// <summary>Hash of the canonical config: a test result stays fresh while this is unchanged.</summary>
    public string ConfigFingerprint => CanonicalJson.Fingerprint(Config);
}
