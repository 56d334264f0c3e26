// Package notify is the last stage of the pipeline: it decides who must hear
// about which material change, composes the emails and delivers them, keeping
// a durable ledger that is both the resume point of an interrupted run and
// the evidence of notice. It takes plain values (VersionInfo, History, Site)
// and imports no other redline package; it is the only package that imports
// go-mail and the SQL driver.
//
// # Flow
//
// Plan compares each document's history with the campaigns the ledger
// records for it and returns at most one Campaign per document: a new one
// when a material change came after the last campaign, else the last one
// again, so every run tells whoever it has not reached — people added to
// the list, failures (with RetryFailed), the rest of an interrupted run —
// with no flag: a campaign's base (--since on the first run) is recorded.
// Campaigns are keyed by document and version, not content hash: an
// editorial fix after a partial send keeps the campaign, its Message-IDs
// and who was told, and the ledger records the new hash.
//
// Each recipient is told what they missed: the version they knew is the
// latest of the root (the first campaign's base), the version published
// before their signup date, and what an earlier campaign of the document
// told them; the message covers what came after it (Campaign.For). A new
// campaign closes the older open ones of its document.
//
// Run streams the recipients CSV through a Screen (invalid, duplicate,
// suppressed and late-signup rows are skipped and reported with
// file:line), and either
// writes every message to an outbox (dry run, the default) or records the
// recipients in the ledger and delivers over a pool of SMTP connections with
// a global rate limit, retries with backoff and a circuit breaker. When no
// recipient is left pending, sending or failed the campaign is complete and
// the ledger records the announcement (document → version).
//
// # Delivery states and the uncertain window
//
// Each (campaign, recipient) row goes pending → sending → sent (or failed).
// A connection hands the row's "sending" to the ledger's recorder before
// MAIL FROM and waits for it to be durable before the final "." of DATA;
// the server's answer (sent, failed, retry) is recorded with the
// connection's next "sending", or alone when nothing is waiting. On SQLite
// the recorder is the send journal (sendlog.go): one write per message to a
// file beside the ledger, as durable as a commit in the ledger's mode, moved
// into the ledger in one transaction every 20 ms. On PostgreSQL it is a
// goroutine that commits the updates of all connections together (group
// commit, commit.go): when a connection waits, every connection has handed
// one in, or a millisecond has passed; a commit a connection waits for gives
// the others 200 µs to join. Messages are composed from per-variant
// skeletons of the rendered templates (see skeleton.go), so neither the
// templates nor the ledger dominate the CPU a message costs.
//
// There is an unavoidable window. It opens when the end of DATA is on the
// wire — from then on the server stores the message whether or not we are
// still alive — and closes when the "sent" commit is durable. SMTP and the
// ledger cannot commit together, so a process killed in that window leaves
// the row in sending although the server has the message. The window holds
// at most one message per connection; it lasts the server's processing of
// the message (its reply to the end of DATA) plus the recording of its
// outcome (a write on SQLite; on PostgreSQL one group commit, about a
// millisecond at most). The chance that a crash duplicates a message is about the
// sending rate times the window: against a local Mailpit, ≈0.5–2 ms, so
// ~5–20% per crash at 100 messages/s.
//
// A run that starts and finds rows in sending cannot know whether the server
// took them, so it resends them with the SAME Message-ID (it is derived from
// the campaign and the address), counts them as uncertain in the Summary
// (UncertainResent) and in the ledger (uncertain_resends in the evidence).
// Receivers commonly de-duplicate by Message-ID; at worst such a recipient
// sees the notice twice. Nobody is skipped: every row that is not sent is
// sent again. A connection that breaks after the message was handed over is
// treated the same way within a run.
//
// # Several senders
//
// A ledger that implements LeaseClaimer and IngestSharer (PostgreSQL) lets
// any number of senders share a campaign: the list is loaded once, rows are
// claimed in batches under a lease that a killed sender's successors wait
// out, and every "sending" mark is fenced by the lease, so the guarantees
// above hold across senders (lease.go). SQLite keeps one sender at a time.
//
// # Secrets
//
// The SMTP password, the unsubscribe key and the DKIM key are passed in as
// values by the caller, who reads them from the environment. They are never
// logged and never appear in errors; errors about the SMTP URL do not quote
// it.
package notify
