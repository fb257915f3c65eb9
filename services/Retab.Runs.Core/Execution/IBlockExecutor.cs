using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Execution;

/// <summary>Executes one block type on frozen inputs. Implementations live in Retab.Runs.Blocks.</summary>
public interface IBlockExecutor
{
    string BlockType { get; }

    /// <param name="config">The block's config from the draft snapshot.</param>
    /// <param name="handleInputs"><c>{handle_id: {type: "json", data} | {type: "file", document}}</c>.</param>
    Task<BlockExecutionResult> ExecuteAsync(JsonObject config, JsonObject handleInputs, CancellationToken cancellationToken);
}
