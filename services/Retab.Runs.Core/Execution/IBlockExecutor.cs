namespace Retab.Runs.Core.Execution;

/// <summary>Executes one block type on frozen inputs. Implementations live in Retab.Runs.Blocks.</summary>
public interface IBlockExecutor
{
    string BlockType { get; }

    Task<BlockExecutionResult> ExecuteAsync(BlockRequest request, CancellationToken cancellationToken);
}
