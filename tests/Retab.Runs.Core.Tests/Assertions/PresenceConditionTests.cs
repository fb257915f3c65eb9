using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>exists / not_exists: absent (missing key, index out of range, through null, missing handle) is never blocked.</summary>
public sealed class PresenceConditionTests
{
    private static readonly string Exists = J("{'kind':'exists'}");

    public static TheoryData<string, string, string?, string> ExistsCases => new()
    {
        { Exists, J("{'a':1}"), "a", "passed" },
        // A key present with a JSON null value exists.
        { Exists, J("{'a':null}"), "a", "passed" },
        { Exists, J("{'a':{'b':null}}"), "a.b.c", "failed" },
        { Exists, J("{'a':null}"), "a.b", "failed" },
        { Exists, "{}", "a", "failed" },
        { Exists, J("{'lines':[1,2]}"), "lines.1", "passed" },
        { Exists, J("{'lines':[1,2]}"), "lines.2", "failed" },
        { Exists, J("{'lines':[1,2]}"), "lines.-1", "failed" },
        { Exists, J("{'lines':[1,2]}"), "lines.first", "failed" },
        { Exists, NoHandle, null, "failed" },
        { Exists, NoHandle, "a", "failed" },
        // The whole data of a present handle exists, even when it is null.
        { Exists, "null", null, "passed" },
        { Exists, "null", "", "passed" },
        { Exists, J("{'a':''}"), "a", "passed" },
        { Exists, J("{'a':[]}"), "a", "passed" },
        { Exists, J("{'a':{}}"), "a", "passed" },
        { Exists, J("{'a':'text'}"), "a.length", "failed" },
        { Exists, J("{'0':'zero'}"), "0", "passed" },
        { Exists, J("{'a':[[1,[2]]]}"), "a.0.1.0", "passed" },
        { Exists, J("{'a':[[1,[2]]]}"), "a.0.1.1", "failed" },
        { Exists, J("{'名前':{'é':0}}"), "名前.é", "passed" },
        { Exists, J("{'a':1}"), "A", "failed" },
        { Exists, J("{'lines':[{'amount':0}]}"), "lines.0.amount", "passed" },
    };

    public static TheoryData<string, string, string?, string> NotExistsCases => Negated(ExistsCases, "exists", "not_exists");

    [Theory, MemberData(nameof(ExistsCases))]
    public Task Exists_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Theory, MemberData(nameof(NotExistsCases))]
    public Task Not_exists_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);
}
