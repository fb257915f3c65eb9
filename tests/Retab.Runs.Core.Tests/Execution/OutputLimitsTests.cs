using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Tests.Assertions;

namespace Retab.Runs.Core.Tests.Execution;

/// <summary>
/// The output limits every block type is held to (<c>Limits:MaxOutputBytes</c>, <c>Limits:MaxJsonDepth</c>): the
/// measure agrees with the JSON a serializer writes, and an output over a limit never reaches the assertion or the result.
/// </summary>
public class OutputLimitsTests
{
    /// <summary>Compact JSON escaped as little as JSON allows, as JSON.stringify writes it.</summary>
    private static readonly JsonSerializerOptions Minimal = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Theory]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("-17")]
    [InlineData("123456789012")]
    [InlineData("2.5")]
    [InlineData("-0.000125")]
    [InlineData("\"\"")]
    [InlineData("\"plain ascii\"")]
    [InlineData("\"héllo 日本\"")]
    [InlineData("\"quote \\\" backslash \\\\ newline \\n tab \\t control \\u0001\"")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("[null,true,1,\"a\",[],{}]")]
    [InlineData("{\"a\":1,\"b\":{\"c\":[1,2,{\"d\":\"é\"}]},\"ключ\":null}")]
    public void The_measure_is_the_size_of_the_compact_json(string json)
    {
        var node = JsonNode.Parse(json);
        var written = Encoding.UTF8.GetByteCount(node?.ToJsonString(Minimal) ?? "null");

        var (shape, bytes) = OutputLimits.Measure(node, maxDepth: 48, maxBytes: 1_000_000);

        Assert.Equal(JsonShape.Fits, shape);
        Assert.Equal(written, bytes);
    }

    [Fact]
    public void A_surrogate_pair_counts_as_json_stringify_writes_it()
    {
        // Its 4 UTF-8 bytes and the quotes (System.Text.Json would escape it).
        Assert.Equal(6, OutputLimits.Measure(JsonNode.Parse("\"🚀\""), 48, 1_000).Bytes);
    }

    [Theory]
    [InlineData("\"a\\ud800b\"")]
    [InlineData("{\"k\": [\"\\udc00\"]}")]
    public void A_lone_surrogate_anywhere_is_text_no_one_can_read_back(string json)
    {
        Assert.Equal(JsonShape.InvalidText, OutputLimits.Measure(JsonNode.Parse(json), 48, 1_000).Shape);
        var blocked = OutputLimits.Check(new Dictionary<string, JsonNode?> { ["output-json-0"] = JsonNode.Parse(json) }, new ServiceLimits());
        Assert.Equal(AssertionFailureCodes.OutputInvalid, blocked!.FailureCode);
    }

    [Theory]
    [InlineData(8, 8, JsonShape.Fits)]
    [InlineData(9, 8, JsonShape.TooDeep)]
    [InlineData(48, 48, JsonShape.Fits)]
    [InlineData(49, 48, JsonShape.TooDeep)]
    public void Depth_counts_nested_containers_from_the_root(int levels, int maxDepth, JsonShape expected)
    {
        JsonNode node = new JsonArray();
        for (var i = 1; i < levels; i++)
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["k"] = node };

        Assert.Equal(expected, OutputLimits.Measure(node, maxDepth, maxBytes: 1_000_000).Shape);
    }

    [Theory]
    [InlineData(12, JsonShape.Fits)]
    [InlineData(11, JsonShape.TooLarge)]
    public void Size_is_compared_inclusively(int maxBytes, JsonShape expected)
    {
        // {"a":"xyz"} is 11 bytes; "é" adds one byte more than it has characters.
        Assert.Equal(expected, OutputLimits.Measure(JsonNode.Parse("{\"a\":\"xyé\"}"), 48, maxBytes).Shape);
    }

    [Fact]
    public async Task An_output_over_the_size_limit_blocks_the_test_and_is_not_kept()
    {
        var big = new JsonObject { ["text"] = new string('x', 5 * 1024 * 1024) };

        var outcome = await RunAsync(new Dictionary<string, JsonNode?> { ["output-json-0"] = big }, new ServiceLimits());

        Assert.Equal(Verdict.Blocked, outcome.Verdict);
        Assert.Equal(AssertionFailureCodes.OutputTooLarge, outcome.AssertionResult.Failure!.Code);
        Assert.Contains("Limits:MaxOutputBytes", outcome.AssertionResult.Failure.Message);
        Assert.Empty(outcome.HandleOutputs);
    }

    [Fact]
    public async Task The_size_limit_holds_for_all_outputs_of_a_block_together()
    {
        var limits = new ServiceLimits { MaxOutputBytes = 1024 };
        JsonNode Half() => JsonValue.Create(new string('p', 600));

        var outcome = await RunAsync(new Dictionary<string, JsonNode?> { ["output-0"] = Half(), ["output-1"] = Half() }, limits);

        Assert.Equal(AssertionFailureCodes.OutputTooLarge, outcome.AssertionResult.Failure!.Code);
    }

    [Fact]
    public async Task An_output_nested_deeper_than_the_limit_blocks_the_test()
    {
        JsonNode deep = new JsonObject();
        for (var i = 1; i < 60; i++)
            deep = new JsonObject { ["a"] = deep };

        var outcome = await RunAsync(new Dictionary<string, JsonNode?> { ["output-json-0"] = deep }, new ServiceLimits());

        Assert.Equal(Verdict.Blocked, outcome.Verdict);
        Assert.Equal(AssertionFailureCodes.OutputTooDeep, outcome.AssertionResult.Failure!.Code);
        Assert.Contains("48 levels", outcome.AssertionResult.Failure.Message);
        Assert.Contains("Limits:MaxJsonDepth", outcome.AssertionResult.Failure.Message);
    }

    [Fact]
    public async Task An_output_within_the_limits_is_asserted_on()
    {
        var outcome = await RunAsync(new Dictionary<string, JsonNode?> { ["output-json-0"] = JsonNode.Parse("{\"total\":42}") }, new ServiceLimits());

        Assert.Equal(Verdict.Passed, outcome.Verdict);
        Assert.Equal("42", outcome.HandleOutputs["output-json-0"]!["data"]!["total"]!.ToJsonString());
    }

    private static Task<TestExecutionOutcome> RunAsync(IReadOnlyDictionary<string, JsonNode?> outputs, ServiceLimits limits)
    {
        var execution = new TestExecution([new FixedOutputBlock(outputs)], new AssertionEngine(), limits: limits);
        return execution.RunAsync(FixedOutputBlock.Type, new BlockRequest("org_test", new JsonObject(), new JsonObject()),
            AssertionKit.Assertion("{\"kind\":\"exists\"}"), CancellationToken.None);
    }

    /// <summary>A block type whose output is given: what a model-backed block returns, without a model.</summary>
    private sealed class FixedOutputBlock(IReadOnlyDictionary<string, JsonNode?> outputs) : IBlockExecutor
    {
        public const string Type = "fixed";

        public string BlockType => Type;

        public Task<BlockExecutionResult> ExecuteAsync(BlockRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new BlockExecutionResult(outputs.ToDictionary(o => o.Key, o => o.Value?.DeepClone())));
    }
}
