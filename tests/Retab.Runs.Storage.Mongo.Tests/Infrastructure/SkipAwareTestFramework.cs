using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Retab.Runs.Storage.Mongo.Tests.Infrastructure.SkipAwareTestFramework", "Retab.Runs.Storage.Mongo.Tests")]

namespace Retab.Runs.Storage.Mongo.Tests.Infrastructure;

/// <summary>
/// xunit's own framework, except that a test which throws <see cref="Xunit.SkipException"/> (Xunit.SkippableFact's
/// <c>Skip.If</c>) reports as <b>skipped</b> with that reason, whatever attribute declared it. The shared store contract
/// declares its facts with plain <c>[Fact]</c>/<c>[Theory]</c>; the MongoDB subclass throws <see cref="Xunit.SkipException"/>
/// from its setup when no server is available, and this turns those tests into skipped ones — never passed, never failed.
/// </summary>
public sealed class SkipAwareTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            var cases = testCases.ToList();
            // Say once, in the test command's own output, which MongoDB the contract runs against or why it is skipped.
            if (cases.Any(c => c.TestMethod.TestClass.Class.Name == typeof(MongoRunStoreContractTests).FullName))
            {
                var server = MongoServer.GetAsync().GetAwaiter().GetResult();
                DiagnosticMessageSink.OnMessage(new DiagnosticMessage(server.ConnectionString is not null
                    ? $"MongoDB contract tests run against {server.Description}."
                    : server.Error ?? server.SkipReason ?? "MongoDB contract tests skipped."));
            }
            base.RunTestCases(cases.Select(testCase => (IXunitTestCase)new SkipAwareTestCase(testCase)), executionMessageSink, executionOptions);
        }
    }
}

/// <summary>Runs a test case and turns its failures caused by <see cref="Xunit.SkipException"/> into skips (as Xunit.SkippableFact does for its own attributes).</summary>
// Created at execution time around an already discovered test case, never deserialized: no parameterless constructor.
#pragma warning disable xUnit3001
internal sealed class SkipAwareTestCase(IXunitTestCase inner) : LongLivedMarshalByRefObject, IXunitTestCase
#pragma warning restore xUnit3001
{
    public Exception InitializationException => inner.InitializationException;
    public IMethodInfo Method => inner.Method;
    public int Timeout => inner.Timeout;
    public string DisplayName => inner.DisplayName;
    public string SkipReason => inner.SkipReason;

    public ISourceInformation SourceInformation
    {
        get => inner.SourceInformation;
        set => inner.SourceInformation = value;
    }

    public ITestMethod TestMethod => inner.TestMethod;
    public object[] TestMethodArguments => inner.TestMethodArguments;
    public Dictionary<string, List<string>> Traits => inner.Traits;
    public string UniqueID => inner.UniqueID;

    public void Serialize(IXunitSerializationInfo info) => inner.Serialize(info);

    public void Deserialize(IXunitSerializationInfo info) => throw new NotSupportedException("Wrappers are created at execution time only.");

    public async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments,
        ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        using var skipping = new SkipTranslatingMessageBus(messageBus);
        var summary = await inner.RunAsync(diagnosticMessageSink, skipping, constructorArguments, aggregator, cancellationTokenSource);
        summary.Failed -= skipping.Skipped;
        summary.Skipped += skipping.Skipped;
        return summary;
    }
}

internal sealed class SkipTranslatingMessageBus(IMessageBus inner) : IMessageBus
{
    // Xunit.SkippableFact's exception, and xunit's own (thrown by Assert.Skip, which v2 would otherwise report as a failure).
    private static readonly string[] SkipExceptionNames = [typeof(Xunit.SkipException).FullName!, typeof(Xunit.Sdk.SkipException).FullName!];

    public int Skipped { get; private set; }

    public bool QueueMessage(IMessageSinkMessage message)
    {
        if (message is ITestFailed failed && SkipExceptionNames.Contains(failed.ExceptionTypes.FirstOrDefault()))
        {
            Skipped++;
            return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault() ?? "skipped"));
        }
        return inner.QueueMessage(message);
    }

    // The wrapped bus belongs to the runner, which disposes it.
    public void Dispose()
    {
    }
}
