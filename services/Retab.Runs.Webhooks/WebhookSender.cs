using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Webhooks;

/// <summary>
/// Sends due deliveries, each attempt signed afresh (Standard Webhooks), and records every attempt. A delivery is
/// claimed in the store before it is sent (<see cref="IWebhookStore.TryClaimAsync"/>), so several instances share
/// the work without sending an attempt twice; a claim outlives the send timeout, so a sender that dies mid-send
/// leaves its delivery due again once the claim lapses. Sends run side by side, at most
/// <see cref="WebhookOptions.MaxConcurrentSendsPerWebhook"/> to one webhook, so a slow or dead receiver holds only
/// its own slots and other webhooks (other organizations') keep being served.
/// </summary>
public sealed class WebhookSender(
    IWebhookStore store,
    IHttpClientFactory clients,
    DeliverySignal signal,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookSender> logger) : BackgroundService
{
    public const string ClientName = "retab-runs-webhooks";

    /// <summary>How long a claim outlives the send timeout: time to record the attempt after the receiver answered.</summary>
    private static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, int> _inFlightPerWebhook = new();
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();

    private WebhookOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StartDueSendsAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "Could not read due webhook deliveries; trying again in {Interval}.", Options.PollInterval);
            }
            try
            {
                await signal.WaitAsync(Options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        // Sends cut short by the stop are not recorded: their claims lapse and they are sent again.
        await Task.WhenAll(_inFlight.Keys);
    }

    private async Task StartDueSendsAsync(CancellationToken stoppingToken)
    {
        var free = Options.MaxConcurrentSends - _inFlight.Count;
        if (free <= 0)
            return;
        var now = Clock.Now(time);
        foreach (var delivery in await store.DueDeliveriesAsync(now, Math.Max(free * 4, 50), stoppingToken))
        {
            if (free == 0)
                break;
            if (_inFlightPerWebhook.GetValueOrDefault(delivery.WebhookId) >= Options.MaxConcurrentSendsPerWebhook)
                continue;
            var leaseUntil = now + Options.SendTimeout + ClaimMargin;
            if (!await store.TryClaimAsync(delivery.Id, delivery.NextAttemptAt!.Value, leaseUntil, stoppingToken))
                continue;
            free--;
            _inFlightPerWebhook.AddOrUpdate(delivery.WebhookId, 1, (_, n) => n + 1);
            var send = SendAndRecordAsync(delivery, leaseUntil, stoppingToken);
            _inFlight[send] = true;
            _ = send.ContinueWith(done =>
            {
                _inFlight.TryRemove(done, out _);
                _inFlightPerWebhook.AddOrUpdate(delivery.WebhookId, 0, (_, n) => n - 1);
                signal.Raise();
            }, TaskScheduler.Default);
        }
    }

    private async Task SendAndRecordAsync(WebhookDelivery delivery, DateTimeOffset leaseUntil, CancellationToken stoppingToken)
    {
        try
        {
            var attempt = await SendAsync(delivery, stoppingToken);
            var succeeded = attempt.StatusCode is >= 200 and < 300;
            var next = succeeded ? null : Options.Schedule.NextAttempt(delivery.CreatedAt, delivery.Attempts.Count + 1, Clock.Now(time), Random.Shared.NextDouble());
            var status = succeeded ? DeliveryStatus.Delivered : next is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
            if (!await store.RecordAttemptAsync(delivery.Id, leaseUntil, attempt, status, next, CancellationToken.None))
                logger.LogWarning("Webhook delivery {DeliveryId}: its claim lapsed before the attempt could be recorded; it will be sent again.", delivery.Id);
            else if (status == DeliveryStatus.Failed)
                logger.LogWarning("Webhook delivery {DeliveryId} to {WebhookId} gave up after {Attempts} attempts.", delivery.Id, delivery.WebhookId, delivery.Attempts.Count + 1);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Webhook delivery {DeliveryId}: the attempt could not be recorded; it will be sent again once its claim lapses.", delivery.Id);
        }
    }

    /// <summary>One signed POST of the delivery's payload; never throws for the receiver's failures, it describes them.</summary>
    private async Task<DeliveryAttempt> SendAsync(WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        var at = Clock.Now(time);
        var clock = Stopwatch.StartNew();
        var webhook = await store.GetAsync(delivery.OrganizationId, delivery.WebhookId, stoppingToken);
        if (webhook is null)
            return new DeliveryAttempt(at, null, 0, "The webhook was deleted.");

        var timestamp = at.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.IdHeader, delivery.Id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(WebhookSecret.Decode(webhook.Secret), delivery.Id, timestamp, delivery.Payload));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("retab-runs-webhooks", "1"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(Options.SendTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new DeliveryAttempt(at, (int)response.StatusCode, clock.ElapsedMilliseconds,
                response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode}.");
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return new DeliveryAttempt(at, null, clock.ElapsedMilliseconds, $"No answer within {Options.SendTimeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException error)
        {
            var refused = error.InnerException as RefusedTargetException;
            return new DeliveryAttempt(at, null, clock.ElapsedMilliseconds, refused?.Message ?? $"The request failed: {error.Message}");
        }
    }
}
