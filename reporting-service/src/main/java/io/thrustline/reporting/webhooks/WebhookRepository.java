package io.thrustline.reporting.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Registered receivers, the outbox of deliveries, and the per-receiver lanes several instances share. */
@RegisterConstructorMapper(Webhook.class)
@RegisterConstructorMapper(Delivery.class)
@RegisterConstructorMapper(WebhookRepository.Due.class)
@RegisterConstructorMapper(WebhookRepository.Announced.class)
public interface WebhookRepository {

    /** The version of an insight the notifier last announced, and what it said. */
    record Announced(String insightId, int version, byte[] contentHash, String severity) {}

    /** What was last announced of these insights, locked until the caller's transaction ends. */
    @SqlQuery("""
            select cast(insight_id as text) as insight_id, version, content_hash, severity from insight_versions
             where insight_id in (<insightIds>) for update
            """)
    List<Announced> announced(@BindList(value = "insightIds") List<UUID> insightIds);

    /** Keeps the latest copy of an insight of a book being built, for the switch to announce. */
    @SqlUpdate("""
            insert into held_announcements (rule_book, insight_id, insight) values (:ruleBook, cast(:insightId as uuid), :insight)
            on conflict (rule_book, insight_id) do update set insight = excluded.insight
            """)
    void hold(@Bind("ruleBook") int ruleBook, @Bind("insightId") String insightId, @Bind("insight") byte[] insight);

    @SqlUpdate("""
            insert into insight_versions (insight_id, version, content_hash, severity) values (cast(:insightId as uuid), :version, :hash, :severity)
            on conflict (insight_id) do update set version = excluded.version, content_hash = excluded.content_hash, severity = excluded.severity
            """)
    void announce(@Bind("insightId") String insightId, @Bind("version") int version, @Bind("hash") byte[] hash, @Bind("severity") String severity);

    /** The oldest pending delivery of a receiver, with what it takes to send it and the database's clock. */
    record Due(long deliveryId, String messageId, String payload, int attempts, Instant createdAt, Instant nextAttemptAt,
               String url, String secret, Instant dbNow) {}

    @SqlUpdate("insert into webhooks (webhook_id, url, secret, coach_id, min_severity) values (:id, :url, :secret, :coachId, :minSeverity)")
    void register(@Bind("id") UUID id, @Bind("url") String url, @Bind("secret") String secret, @Bind("coachId") String coachId,
            @Bind("minSeverity") String minSeverity);

    @SqlQuery("select webhook_id, url, coach_id, min_severity, created_at from webhooks where webhook_id = :id and deleted_at is null")
    Optional<Webhook> find(@Bind("id") UUID id);

    @SqlQuery("select webhook_id, url, coach_id, min_severity, created_at from webhooks where deleted_at is null order by created_at, webhook_id")
    List<Webhook> all();

    /** Stops a receiver: nothing more is queued for it and what was waiting is cancelled; its history stays. */
    @SqlUpdate("""
            with gone as (update webhooks set deleted_at = now() where webhook_id = :id and deleted_at is null returning webhook_id)
            update webhook_deliveries d set status = 'cancelled' from gone where d.webhook_id = gone.webhook_id and d.status = 'pending'
            """)
    void delete(@Bind("id") UUID id);

    /**
     * Queues one insight version for every live receiver that should hear of it: its minimum severity is among
     * {@code minimums}, and it listens to every athlete or to a coach whose roster holds this one.
     */
    @SqlUpdate("""
            insert into webhook_deliveries (webhook_id, message_id, insight_id, event_type, payload)
            select w.webhook_id, :messageId, cast(:insightId as uuid), :eventType, :payload
              from webhooks w
             where w.deleted_at is null and w.min_severity in (<minimums>)
               and (w.coach_id is null or exists (select 1 from coach_athletes ca where ca.coach_id = w.coach_id and ca.athlete_id = :athleteId))
            on conflict (webhook_id, message_id) do nothing
            """)
    int enqueue(@Bind("messageId") String messageId, @Bind("insightId") String insightId, @Bind("eventType") String eventType,
            @Bind("payload") String payload, @Bind("athleteId") String athleteId, @BindList("minimums") List<String> minimums);

    /** Receivers whose oldest pending delivery is due and whose lane no instance holds. */
    @SqlQuery("""
            select w.webhook_id from webhooks w
             where w.deleted_at is null and (w.lane_lease_until is null or w.lane_lease_until < now())
               and (select d.next_attempt_at from webhook_deliveries d where d.webhook_id = w.webhook_id and d.status = 'pending'
                     order by d.delivery_id limit 1) <= now()
            """)
    List<UUID> dueLanes();

    /** Takes or renews the lane of one receiver for {@code leaseMillis}; 1 when this instance now holds it. */
    @SqlUpdate("""
            update webhooks set lane_owner = :owner, lane_lease_until = now() + make_interval(secs => :leaseMillis / 1000.0)
             where webhook_id = :id and deleted_at is null
               and (lane_lease_until is null or lane_lease_until < now() or lane_owner = :owner)
            """)
    int claimLane(@Bind("id") UUID id, @Bind("owner") String owner, @Bind("leaseMillis") long leaseMillis);

    @SqlUpdate("update webhooks set lane_owner = null, lane_lease_until = null where webhook_id = :id and lane_owner = :owner")
    void releaseLane(@Bind("id") UUID id, @Bind("owner") String owner);

    @SqlQuery("""
            select d.delivery_id, d.message_id, d.payload, d.attempts, d.created_at, d.next_attempt_at, w.url, w.secret, now() as db_now
              from webhook_deliveries d join webhooks w on w.webhook_id = d.webhook_id
             where d.webhook_id = :id and d.status = 'pending' and w.deleted_at is null
             order by d.delivery_id limit 1
            """)
    Optional<Due> head(@Bind("id") UUID id);

    @SqlUpdate("""
            update webhook_deliveries set status = 'delivered', attempts = attempts + 1, last_attempt_at = now(), delivered_at = now(),
                   last_response = :response, last_error = null
             where delivery_id = :deliveryId and status = 'pending'
            """)
    void delivered(@Bind("deliveryId") long deliveryId, @Bind("response") int response);

    /** A failed attempt: tried again at {@code nextAttemptAt}, or dead-lettered when that is null. */
    @SqlUpdate("""
            update webhook_deliveries set attempts = attempts + 1, last_attempt_at = now(), last_response = :response, last_error = :error,
                   status = case when cast(:nextAttemptAt as timestamptz) is null then 'dead' else 'pending' end,
                   next_attempt_at = coalesce(cast(:nextAttemptAt as timestamptz), next_attempt_at)
             where delivery_id = :deliveryId and status = 'pending'
            """)
    void failed(@Bind("deliveryId") long deliveryId, @Bind("response") Integer response, @Bind("error") String error,
            @Bind("nextAttemptAt") Instant nextAttemptAt);

    /**
     * Sends a dead-lettered delivery again, with a fresh retry window, queued behind what is waiting now (a new row,
     * so a lane never delivers an older version after a newer one); its failed history goes with the old row.
     */
    @SqlQuery("""
            with old as (
                delete from webhook_deliveries d using webhooks w
                 where d.webhook_id = w.webhook_id and w.deleted_at is null
                   and d.webhook_id = :webhookId and d.delivery_id = :deliveryId and d.status = 'dead'
                returning d.webhook_id, d.message_id, d.insight_id, d.event_type, d.payload)
            insert into webhook_deliveries (webhook_id, message_id, insight_id, event_type, payload)
            select webhook_id, message_id, insight_id, event_type, payload from old
            returning delivery_id
            """)
    Optional<Long> redeliver(@Bind("webhookId") UUID webhookId, @Bind("deliveryId") long deliveryId);

    /** Newest first; {@code before} is the last delivery id of the previous page. */
    @SqlQuery("""
            select delivery_id, webhook_id, message_id, insight_id, event_type, status, attempts, created_at, next_attempt_at,
                   last_attempt_at, last_response, last_error, delivered_at
              from webhook_deliveries
             where webhook_id = :id and (cast(:status as text) is null or status = cast(:status as text))
               and (cast(:before as bigint) is null or delivery_id < cast(:before as bigint))
             order by delivery_id desc limit :limit
            """)
    List<Delivery> deliveries(@Bind("id") UUID id, @Bind("status") String status, @Bind("before") Long before, @Bind("limit") int limit);
}
