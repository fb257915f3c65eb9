using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Testing.ModelServer;
using static Retab.Runs.Models.Tests.ModelHarness;

namespace Retab.Runs.Models.Tests;

/// <summary>llm_judged_as, llm_not_judged_as and similarity_gte with embeddings through AssertionEngine and the real model client.</summary>
public sealed class AssertionModelTests
{
    private static readonly Dictionary<string, JsonNode?> Outputs = new() { ["output-json-0"] = JsonValue.Create("The customer is furious about the late delivery.") };

    [Theory]
    [InlineData("llm_judged_as", true, "passed")]
    [InlineData("llm_judged_as", false, "failed")]
    [InlineData("llm_not_judged_as", true, "failed")]
    [InlineData("llm_not_judged_as", false, "passed")]
    public async Task The_models_judgement_decides_llm_conditions(string kind, bool matches, string expected)
    {
        await using var harness = await StartAsync();
        harness.Server.Enqueue(ModelAnswer.Json(new { explanation = "angry tone", label = matches ? "complaint" : "praise", matches }));
        var engine = harness.Services.GetRequiredService<AssertionEngine>();

        var result = await engine.EvaluateAsync(Assertion($"{{'target': {{'output_handle_id': 'output-json-0'}}, 'condition': {{'kind': '{kind}', 'rubric': 'Is this a complaint?'}}}}"), Outputs);

        Assert.Equal(expected, result.Outcome.ToString().ToLowerInvariant());
        var request = Assert.Single(harness.Server.ChatRequests);
        Assert.Contains("Is this a complaint?", request.Text);
        Assert.Contains("furious", request.Text);
    }

    [Fact]
    public async Task An_expected_label_is_compared_with_the_label_the_model_chose()
    {
        await using var harness = await StartAsync();
        harness.Server.Enqueue(ModelAnswer.Json(new { explanation = "angry", label = "Complaint", matches = false }));
        var engine = harness.Services.GetRequiredService<AssertionEngine>();

        var result = await engine.EvaluateAsync(Assertion("{'target': {'output_handle_id': 'output-json-0'}, 'condition': {'kind': 'llm_judged_as', 'rubric': 'Classify the tone', 'expected_label': 'complaint'}}"), Outputs);

        Assert.Equal(AssertionOutcome.Passed, result.Outcome);
    }

    [Fact]
    public async Task A_judgement_that_is_not_JSON_blocks_with_model_error()
    {
        await using var harness = await StartAsync();
        harness.Server.Enqueue(ModelAnswer.Text("yes"));
        var engine = harness.Services.GetRequiredService<AssertionEngine>();

        var result = await engine.EvaluateAsync(Assertion("{'target': {'output_handle_id': 'output-json-0'}, 'condition': {'kind': 'llm_judged_as', 'rubric': 'r'}}"), Outputs);

        Assert.Equal(AssertionOutcome.Blocked, result.Outcome);
        Assert.Equal(AssertionFailureCodes.ModelError, result.Failure!.Code);
    }

    [Theory]
    [InlineData("The customer is furious about the late delivery.", 0.99, "passed")]
    [InlineData("zzz", 0.9, "failed")]
    public async Task Similarity_with_embeddings_is_the_cosine_of_the_two_embeddings(string reference, double threshold, string expected)
    {
        await using var harness = await StartAsync();
        var engine = harness.Services.GetRequiredService<AssertionEngine>();

        var result = await engine.EvaluateAsync(Assertion(
            $"{{'target': {{'output_handle_id': 'output-json-0'}}, 'condition': {{'kind': 'similarity_gte', 'reference': '{reference}', 'threshold': {threshold}, 'method': 'embeddings'}}}}"), Outputs);

        Assert.Equal(expected, result.Outcome.ToString().ToLowerInvariant());
        Assert.Equal(1, harness.Server.EmbeddingRequestCount);
        Assert.InRange(result.Score!.Value, 0, 1);
    }
}
