using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Execution;

/// <summary>
/// One block to execute: its config from the draft snapshot and the frozen inputs
/// (<c>{handle_id: {type: "json", data} | {type: "file", document: {id, filename, mime_type}}}</c>).
/// <see cref="OrganizationId"/> scopes every file the inputs name.
/// </summary>
public sealed record BlockRequest(string OrganizationId, JsonObject Config, JsonObject HandleInputs);
