using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>The shape of <see cref="AssertionResult"/> (DESIGN §3.5) and the engine's robustness rules.</summary>
public sealed class AssertionResultTests
{
    [Fact]
    public async Task Passed_result_copies_identity_and_values()
    {
        var assertion = new Assertion("assert_abc", new AssertionTarget(Handle, "vendor"),
            (JsonObject)JsonNode.Parse(J("{'kind':'equals','expected':{'name':'Acme'}}"))!, "vendor is Acme");
        var result = await new AssertionEngine().EvaluateAsync(assertion, Outputs(J("{'vendor':{'name':'Acme','reasoning___name':'r'}}")));

        Assert.Equal("assert_abc", result.AssertionId);
        Assert.Equal("equals", result.ConditionKind);
        Assert.Equal(AssertionOutcome.Passed, result.Outcome);
        Assert.Equal("vendor is Acme", result.AssertionLabel);
        Assert.Equal(J("{'name':'Acme','reasoning___name':'r'}"), result.ActualValue!.ToJsonString());
        Assert.Equal(J("{'name':'Acme'}"), result.ExpectedValue!.ToJsonString());
        Assert.Null(result.Failure);
        Assert.Null(result.Score);
        Assert.Null(result.Threshold);
        Assert.Null(result.MetricKind);
    }

    [Fact]
    public async Task Actual_and_expected_values_are_detached_copies()
    {
        var outputs = Outputs(J("{'total':{'amount':5}}"));
        var assertion = Assertion(J("{'kind':'equals','expected':{'amount':5}}"), "total");
        var result = await new AssertionEngine().EvaluateAsync(assertion, outputs);

        // Detached: usable in another document, and changing them leaves the inputs alone.
        Assert.Null(result.ActualValue!.Parent);
        Assert.Null(result.ExpectedValue!.Parent);
        result.ActualValue["amount"] = 6;
        result.ExpectedValue["amount"] = 7;
        Assert.Equal(5, (int)outputs[Handle]!["total"]!["amount"]!);
        Assert.Equal(5, (int)assertion.Condition["expected"]!["amount"]!);
    }

    [Fact]
    public async Task Absent_target_has_no_actual_value_and_names_the_path()
    {
        var result = await EvaluateAsync(J("{'kind':'equals','expected':1}"), J("{'lines':[]}"), "lines.0.amount");

        Assert.Equal(AssertionOutcome.Blocked, result.Outcome);
        Assert.Equal(AssertionFailureCodes.PathNotFound, result.Failure!.Code);
        Assert.Contains("'lines.0.amount'", result.Failure.Message);
        Assert.Null(result.ActualValue);
        Assert.Equal(1, (int?)result.ExpectedValue);
    }

    [Fact]
    public async Task Present_null_is_reported_as_a_null_actual_value()
    {
        var result = await EvaluateAsync(J("{'kind':'exists'}"), J("{'a':null}"), "a");
        Assert.Equal(AssertionOutcome.Passed, result.Outcome);
        Assert.Null(result.ActualValue);
        Assert.Null(result.ExpectedValue);
    }

    [Theory]
    [InlineData("{'kind':'between','lower':1,'upper':2}", "{'lower':1,'upper':2,'inclusive':true}")]
    [InlineData("{'kind':'llm_judged_as','rubric':'r','expected_label':'ok'}", "{'rubric':'r','expected_label':'ok'}")]
    [InlineData("{'kind':'json_schema_valid','schema':{'type':'string'}}", "{'type':'string'}")]
    [InlineData("{'kind':'number_compare','op':'gt','expected':1.5}", "1.5")]
    [InlineData("{'kind':'split_iou_gte','expected':{'splits':[{'name':'a','pages':[1]}]}}", "{'splits':[{'name':'a','pages':[1]}]}")]
    public async Task Expected_value_is_taken_from_the_condition(string condition, string expected)
    {
        var result = await EvaluateAsync(J(condition), "{}", "missing");
        Assert.Equal(J(expected), result.ExpectedValue!.ToJsonString());
    }

    [Fact]
    public async Task Unknown_kind_is_blocked_not_thrown()
    {
        var result = await EvaluateAsync(J("{'kind':'is_pretty'}"), "1");
        Assert.Equal(AssertionOutcome.Blocked, result.Outcome);
        Assert.Equal(AssertionFailureCodes.InvalidCondition, result.Failure!.Code);
        Assert.Equal("is_pretty", result.ConditionKind);
        Assert.Equal("union_tag_invalid", (string?)result.Failure.Details!["errors"]![0]!["type"]);
    }

    [Fact]
    public async Task Non_string_kind_is_blocked_not_thrown()
    {
        var result = await EvaluateAsync(J("{'kind':7}"), "1");
        Assert.Equal(AssertionOutcome.Blocked, result.Outcome);
        Assert.Equal(AssertionFailureCodes.InvalidCondition, result.Failure!.Code);
        Assert.Equal("", result.ConditionKind);
    }

    [Fact]
    public async Task Extra_keys_are_tolerated_at_evaluation_time()
    {
        // Rejected when a test is saved, but a stored condition from a newer version must still evaluate.
        var result = await EvaluateAsync(J("{'kind':'equals','expected':1,'note':'x'}"), "1");
        Assert.Equal(AssertionOutcome.Passed, result.Outcome);
    }

    [Fact]
    public async Task Invalid_condition_lists_the_validation_errors()
    {
        var result = await EvaluateAsync(J("{'kind':'number_compare','op':'gt'}"), "1");
        Assert.Equal(AssertionFailureCodes.InvalidCondition, result.Failure!.Code);
        var error = result.Failure.Details!["errors"]![0]!;
        Assert.Equal("[\"expected\"]", error["loc"]!.ToJsonString());
        Assert.Equal("missing", (string?)error["type"]);
    }

    [Fact]
    public async Task Cancelled_token_throws()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new AssertionEngine().EvaluateAsync(Assertion(J("{'kind':'exists'}")), Outputs("1"), cancellation.Token));
    }

    [Fact]
    public async Task Same_assertion_evaluates_concurrently()
    {
        var engine = new AssertionEngine();
        var schema = J("{'kind':'json_schema_valid','schema':{'type':'object','properties':{'n':{'type':'integer','minimum':0}}}}");
        var tasks = Enumerable.Range(-50, 100).Select(n => Task.Run(() =>
            engine.EvaluateAsync(Assertion(schema), Outputs($"{{\"n\":{n}}}")))).ToList();
        var results = await Task.WhenAll(tasks);

        for (var i = 0; i < results.Length; i++)
            Assert.Equal(i - 50 >= 0 ? AssertionOutcome.Passed : AssertionOutcome.Failed, results[i].Outcome);
    }
}
