using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>json_schema_valid: JsonSchema.Net, draft 2020-12 by default, draft-07 by $schema.</summary>
public sealed class JsonSchemaConditionTests
{
    private const string Draft07 = "http://json-schema.org/draft-07/schema#";

    private static string Schema(string schema) => J($"{{'kind':'json_schema_valid','schema':{schema}}}");

    public static TheoryData<string, string, string?, string> JsonSchemaValidCases => new()
    {
        { Schema("{'type':'object','required':['a']}"), J("{'a':1}"), null, "passed" },
        { Schema("{'type':'object','required':['a']}"), "{}", null, "failed" },
        { Schema("{'type':'integer'}"), "1.0", null, "passed" },
        { Schema("{'type':'integer'}"), "1.5", null, "failed" },
        { Schema("{'type':'string'}"), "null", null, "failed" },
        { Schema("{'type':'null'}"), "null", null, "passed" },
        { Schema("{'type':'array','items':{'type':'array','items':{'type':'number'}}}"), "[[1,2],[]]", null, "passed" },
        { Schema("{'type':'array','items':{'type':'array','items':{'type':'number'}}}"), "[[1,\"2\"]]", null, "failed" },
        { Schema("{'properties':{'name':{'type':'string','minLength':1}}}"), J("{'name':''}"), null, "failed" },
        { Schema("{'type':'string','pattern':'^é'}"), "\"ecole\"", null, "failed" },
        { Schema("{'type':'string','pattern':'^é'}"), "\"été\"", null, "passed" },
        { Schema("true"), "[1]", null, "passed" },
        { Schema("false"), "[1]", null, "failed" },
        // Draft 2020-12 by default: prefixItems applies.
        { Schema("{'prefixItems':[{'type':'integer'}]}"), "[\"a\"]", null, "failed" },
        // Draft-07 by $schema: prefixItems is not a draft-07 keyword, tuple validation is items + additionalItems.
        { Schema($"{{'$schema':'{Draft07}','prefixItems':[{{'type':'integer'}}]}}"), "[\"a\"]", null, "passed" },
        { Schema($"{{'$schema':'{Draft07}','items':[{{'type':'string'}}],'additionalItems':false}}"), "[\"a\",1]", null, "failed" },
        { Schema($"{{'$schema':'{Draft07}','items':[{{'type':'string'}}],'additionalItems':false}}"), "[\"a\"]", null, "passed" },
        { Schema("{'$schema':'https://json-schema.org/draft/2020-12/schema','type':'string'}"), "\"a\"", null, "passed" },
        { Schema("{'type':'foo'}"), "1", null, "blocked:schema_invalid" },
        { Schema("{'minLength':-1}"), "1", null, "blocked:schema_invalid" },
        { Schema("{'$schema':'http://json-schema.org/draft-04/schema#','type':'string'}"), "\"a\"", null, "blocked:schema_invalid" },
        { Schema("{'$ref':'#/$defs/missing'}"), "1", null, "blocked:schema_invalid" },
        { Schema("'object'"), "{}", null, "blocked:schema_invalid" },
        { Schema("{'type':'object'}"), "{}", "a", "blocked:path_not_found" },
    };

    [Theory, MemberData(nameof(JsonSchemaValidCases))]
    public Task Json_schema_valid_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Fact]
    public async Task Failure_lists_schema_errors_with_their_location()
    {
        var result = await EvaluateAsync(Schema("{'properties':{'a':{'type':'integer'}}}"), J("{'a':'x'}"));
        var errors = result.Failure!.Details!["errors"]!.AsArray();
        Assert.Contains(errors, e => (string?)e!["instance_location"] == "/a" && (string?)e["keyword"] == "type");
    }

    [Fact]
    public async Task Schemas_with_the_same_id_do_not_leak_into_each_other()
    {
        var integer = await EvaluateAsync(Schema("{'$id':'https://example.com/s','type':'integer'}"), "1");
        var text = await EvaluateAsync(Schema("{'$id':'https://example.com/s','type':'string'}"), "1");
        Assert.Equal(Retab.Runs.Core.Assertions.AssertionOutcome.Passed, integer.Outcome);
        Assert.Equal(Retab.Runs.Core.Assertions.AssertionOutcome.Failed, text.Outcome);
    }
}
