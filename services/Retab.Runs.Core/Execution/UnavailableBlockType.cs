namespace Retab.Runs.Core.Execution;

/// <summary>
/// A block type this worker knows but cannot run as configured, and what to set so it can: registered by whoever
/// would have registered the executor, so a <c>block_type_unavailable</c> result tells the operator the setting.
/// </summary>
public sealed record UnavailableBlockType(string BlockType, string Reason);
