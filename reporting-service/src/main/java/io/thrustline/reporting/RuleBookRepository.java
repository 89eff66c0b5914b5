package io.thrustline.reporting;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The versions of the rule book reporting has seen. Exactly one is active: coaches and exports see its results.
 * A newer one is stored beside it ('building') until {@link RuleBookSwitch} makes it active in one transaction.
 */
@RegisterConstructorMapper(RuleBookRepository.Book.class)
public interface RuleBookRepository {

    String BUILDING = "building";
    String ACTIVE = "active";
    String RETIRED = "retired";

    record Book(int version, String state, Instant firstSeenAt, Instant activatedAt) {}

    /**
     * The version a record was judged by: 0 on records from before rule books had versions, which the first book
     * judged.
     */
    static int stampedOn(int ruleBook) {
        return Math.max(1, ruleBook);
    }

    /**
     * Notes a version on first sight, active when no version is (a fresh database), otherwise building; and
     * answers its state. Records of a retired version are not stored: an old streams application still running
     * after the switch must not bring its results back.
     */
    default String admit(int version) {
        register(version);
        // Two books first seen at once on a fresh database: one became active, so the other is now registered as building.
        return state(version).or(() -> {
            register(version);
            return state(version);
        }).orElseThrow();
    }

    @SqlUpdate("""
            insert into rule_books (version, state, activated_at)
            select :version, case when active_rule_book() is null then 'active' else 'building' end,
                   case when active_rule_book() is null then now() end
            on conflict do nothing
            """)
    void register(@Bind("version") int version);

    @SqlQuery("select state from rule_books where version = :version")
    Optional<String> state(@Bind("version") int version);

    @SqlQuery("select active_rule_book()")
    Optional<Integer> active();

    @SqlQuery("select version, state, first_seen_at, activated_at from rule_books order by version")
    List<Book> all();
}
