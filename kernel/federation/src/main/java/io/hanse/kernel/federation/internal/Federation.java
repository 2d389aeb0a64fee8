package io.hanse.kernel.federation.internal;

import static io.hanse.api.security.KernelPermissions.FEDERATION_MANAGE;
import static io.hanse.api.security.KernelPermissions.FEDERATION_READ;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.NotFoundException;
import io.hanse.api.TooLargeException;
import io.hanse.api.UnauthenticatedException;
import io.hanse.api.config.Settings;
import io.hanse.api.federation.PeerMessage;
import io.hanse.api.federation.PeerMessageHandler;
import io.hanse.api.federation.PeerMessages;
import io.hanse.api.instance.InstanceService;
import io.hanse.api.security.Caller;
import io.hanse.api.status.StatusChange;
import io.hanse.api.status.StatusContributor;
import io.hanse.api.status.StatusListener;
import io.hanse.api.status.StatusService;
import io.hanse.api.status.StatusSink;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemAdminService;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemEvent;
import io.hanse.api.system.SystemListener;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.Source;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Subscription;
import io.hanse.api.timeline.Timeline;
import io.hanse.kernel.federation.internal.Link.Message;
import io.hanse.kernel.security.Ed25519Key;
import io.hanse.kernel.security.Refusals;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditLog;
import io.hanse.kernel.store.EventStore;
import io.hanse.kernel.store.FederationStore;
import io.hanse.kernel.store.OutboxMessage;
import io.hanse.kernel.store.StoredGrant;
import io.hanse.kernel.store.StoredInvitation;
import io.hanse.kernel.store.StoredPeer;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.HttpServiceRuntimeConstants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federation: this instance's key pair, its peers with their pinned keys, the grants it gives them,
 * and the links to them. Peering starts with a one-time invitation; each side then dials or is
 * dialed as configured per peer, and each side's {@link Delivery} sends what the other is granted
 * while its {@link Remote} keeps what it receives.
 */
@Component(service = {Federation.class, PeerMessages.class, StatusListener.class, StatusContributor.class,
        SystemListener.class}, configurationPid = FederationConfig.PID, immediate = true)
@Designate(ocd = FederationConfig.class)
public final class Federation implements PeerMessages, StatusListener, StatusContributor, SystemListener,
        Link.Host {

    /** The longest an invitation may be valid. */
    static final Duration MAX_INVITATION = Duration.ofDays(7);
    /** Where peers dial, below the REST API's base. */
    static final String LINK_PATH = "/api/v1/federation/link";
    /** Where an invited instance joins. */
    static final String JOIN_PATH = "/api/v1/federation/join";
    private static final int SIGNATURE_BYTES = 64;

    private static final Logger LOG = LoggerFactory.getLogger(Federation.class);

    private final FederationStore store;
    private final AuditLog audit;
    private final SystemService systems;
    private final FederationConfig config;
    private final Clock clock;
    private final String name;
    /** The base URL peers reach this instance at. */
    private final String url;
    private final InstanceKey key;
    private final Map<UUID, Peer> peers = new ConcurrentHashMap<>();
    private final List<StoredGrant> grants = new CopyOnWriteArrayList<>();
    private final Map<UUID, Dialer> dialers = new ConcurrentHashMap<>();
    /** Plugins' handlers, in the order they came; the first that takes a type gets its messages. */
    private final List<PeerMessageHandler> handlers = new CopyOnWriteArrayList<>();
    private final Delivery delivery;
    private final Remote remote;
    private final Timeline timeline;
    private final Refusals refusals;
    /** When this instance started federating: a peer it has had no link with since has had none from then. */
    private final Instant started;
    /** What runs each time a peer's link opens: {@link LinkWatch}'s look at the links. */
    private volatile Runnable linked = () -> { };
    private Subscription appended;

    @Activate
    public Federation(@Reference FederationStore store, @Reference AuditLog audit,
            @Reference InstanceService instance, @Reference SystemService systems,
            @Reference SystemAdminService admin, @Reference StatusService status, @Reference Timeline timeline,
            @Reference EventStore events, @Reference(service = HttpServiceRuntime.class) Map<String, Object> http,
            FederationConfig config) {
        this(store, audit, instance, systems, admin, status, timeline, events, endpoint(http), config,
                Clock.systemUTC());
    }

    Federation(FederationStore store, AuditLog audit, InstanceService instance, SystemService systems,
            SystemAdminService admin, StatusService status, Timeline timeline, EventStore events, String endpoint,
            FederationConfig config, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.systems = systems;
        this.config = check(config);
        this.url = this.config.url().isBlank() ? endpoint : this.config.url().replaceAll("/+$", "");
        this.clock = clock;
        this.name = instance.instance().name();
        InstanceKey candidate = InstanceKey.generate(name);
        this.key = InstanceKey.restore(store.identity(new io.hanse.kernel.store.StoredIdentity(
                candidate.publicKey().line(), candidate.privateKeyBase64(), clock.instant())));
        store.peers().forEach(stored -> peers.put(stored.id(), new Peer(stored)));
        grants.addAll(store.grants());
        this.remote = new Remote(admin, systems, timeline, (peer, reason) -> refused(peer, null, reason),
                type -> handlers.stream().filter(handler -> handler.types().contains(type)).findFirst()
                        .orElse(null), this::permits);
        this.delivery = new Delivery(store, systems, status, events, name, peers::values, () -> grants,
                this.config.outboxLimit(), clock);
        this.timeline = timeline;
        this.refusals = new Refusals(clock);
        this.started = clock.instant();
    }

    /**
     * A configured URL as the log and health show it: without user information, a query or a fragment,
     * which a URL refused for them may hold a password or token in.
     */
    private static String withoutSecrets(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return url;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + "/… (the rest not shown)";
        } catch (URISyntaxException e) {
            return "(not shown: not a URL)";
        }
    }

    /** Returns the configuration federation runs on: a value not allowed is logged and replaced by its default. */
    private static FederationConfig check(FederationConfig config) {
        Settings<FederationConfig> settings = Settings.of(FederationConfig.PID, FederationConfig.class, config);
        settings.parsed("url", url -> {
            try {
                return url.isBlank() ? url : Invitation.checkUrl(url);
            } catch (InvalidRequestException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }, Federation::withoutSecrets);
        settings.whole("invitationHours", 1, (int) MAX_INVITATION.toHours());
        settings.whole("outboxLimit", 1_000, Integer.MAX_VALUE);
        settings.whole("maxFrameBytes", 65_536, Integer.MAX_VALUE);
        settings.whole("maxBatch", 1, Integer.MAX_VALUE);
        settings.whole("maxRetrySeconds", 1, Integer.MAX_VALUE);
        settings.whole("unlinkedSeconds", 10, Integer.MAX_VALUE);
        return settings.values();
    }

    @Activate
    void open() {
        delivery.start();
        // Only to read the timeline as soon as something happened here; what is read comes from the database.
        appended = timeline.subscribe(new EventQuery(null, false, Set.of(), null, null, 1, null, null), event -> {
            if (name.equals(event.origin())) {
                delivery.appended();
            }
        });
        peers.values().forEach(this::dial);
        LOG.info("Federation: instance {} with key {}, {} peers", name, key.publicKey().fingerprint(), peers.size());
    }

    @Deactivate
    void close() {
        Settings.forget(FederationConfig.PID);
        appended.close();
        dialers.values().forEach(Dialer::stop);
        dialers.clear();
        peers.values().stream().map(Peer::link).filter(link -> link != null)
                .forEach(link -> link.close("shutting down"));
        delivery.stop();
    }

    // --- what REST and the shell ask ---

    /** Who this instance is to its peers. */
    public record Identity(String name, String publicKey, String fingerprint, String url) {
    }

    public Identity identity(Caller caller) {
        caller.require(FEDERATION_READ);
        return new Identity(name, key.publicKey().line(), key.publicKey().fingerprint(), url);
    }

    /** An invitation as its creator gets it: the text to hand over, once. */
    public record IssuedInvitation(UUID id, String invitation, Instant expires, boolean dialOut) {
    }

    /**
     * Creates a one-time invitation to peer with this instance.
     *
     * @param dialOut whether this instance will dial the peer that joins; otherwise the peer dials
     * @param validFor how long it is valid; {@code null} for the configured default
     */
    public IssuedInvitation invite(Caller caller, boolean dialOut, Duration validFor) {
        caller.require(FEDERATION_MANAGE);
        Duration valid = validFor == null ? Duration.ofHours(config.invitationHours()) : validFor;
        if (valid.isNegative() || valid.isZero() || valid.compareTo(MAX_INVITATION) > 0) {
            throw new InvalidRequestException("an invitation is valid for more than 0 and at most 7 days");
        }
        Invitation invitation = Invitation.create(url, name, key.publicKey().fingerprint(), valid, clock);
        store.insertInvitation(new StoredInvitation(invitation.id(), invitation.secretHash(), dialOut,
                caller.source().name(), clock.instant(), invitation.expires(), null, null),
                new AuditEntry(caller.source(), "federation.invite", "invitation/" + invitation.id(), null,
                        invitationSummary(invitation.expires(), dialOut)));
        return new IssuedInvitation(invitation.id(), invitation.encode(), invitation.expires(), dialOut);
    }

    /**
     * An invitation that can still be used, as REST and the shell show it: never its secret, which
     * this instance does not keep.
     */
    public record InvitationView(UUID id, String createdBy, Instant created, Instant expires, boolean dialOut) {
    }

    /** Returns the invitations that can still be used, neither used nor expired, newest first. */
    public List<InvitationView> invitations(Caller caller) {
        caller.require(FEDERATION_MANAGE);
        Instant now = clock.instant();
        return store.invitations().stream().filter(invitation -> usable(invitation, now))
                .map(invitation -> new InvitationView(invitation.id(), invitation.createdBy(), invitation.created(),
                        invitation.expires(), invitation.dialOut())).toList();
    }

    /**
     * Returns an invitation that can still be used.
     *
     * @throws NotFoundException if there is none with this id, or it is used or expired
     */
    public InvitationView invitation(Caller caller, UUID id) {
        return invitations(caller).stream().filter(invitation -> invitation.id().equals(id)).findFirst()
                .orElseThrow(() -> noInvitation(id));
    }

    /**
     * Cancels an invitation that can still be used: a join with it is then refused as one with an
     * unknown invitation.
     *
     * @throws NotFoundException if there is none with this id, or it is used or expired
     */
    public void cancelInvitation(Caller caller, UUID id) {
        InvitationView invitation = invitation(caller, id);
        if (!store.cancelInvitation(id, clock.instant(), new AuditEntry(caller.source(), "federation.invite-cancel",
                "invitation/" + id, invitationSummary(invitation.expires(), invitation.dialOut()), null))) {
            // Used or expired since it was looked up.
            throw noInvitation(id);
        }
    }

    private static boolean usable(StoredInvitation invitation, Instant now) {
        return invitation.used() == null && invitation.expires().isAfter(now);
    }

    private static NotFoundException noInvitation(UUID id) {
        return new NotFoundException("no invitation " + id + " that can be used: it is unknown, used, expired or"
                + " cancelled");
    }

    /** What a joining instance sends to the one that invited it, signed with its own key. */
    public record JoinRequest(UUID invitation, String secret, String name, String url, String publicKey,
            String signature) {
    }

    /** What the inviting instance answers: who it is, and whether it will dial. */
    public record JoinAnswer(String name, String publicKey, boolean dialsYou) {
    }

    /**
     * Joins the instance that issued this invitation: pins its key (checked against the invitation's
     * fingerprint) and has it pin this instance's.
     *
     * @return the new peer
     */
    public PeerView join(Caller caller, String invitationText) {
        caller.require(FEDERATION_MANAGE);
        Invitation invitation = Invitation.decode(invitationText);
        if (invitation.expiredAt(clock.instant())) {
            throw new InvalidRequestException("the invitation expired at " + invitation.expires());
        }
        if (invitation.instance().equals(name)) {
            throw new InvalidRequestException("the invitation is this instance's own");
        }
        if (peers.values().stream().anyMatch(peer -> peer.name().equals(invitation.instance()))) {
            throw new ConflictException("a peer named " + invitation.instance() + " exists already");
        }
        JoinRequest request = signedJoin(invitation);
        JoinAnswer answer = Joining.post(URI.create(invitation.url() + JOIN_PATH), request);
        Ed25519Key theirs = Ed25519Key.parse(answer.publicKey());
        if (!theirs.fingerprint().equals(invitation.fingerprint()) || !answer.name().equals(invitation.instance())) {
            throw new ConflictException("the instance at " + invitation.url() + " is " + answer.name() + " with key "
                    + theirs.fingerprint() + ", not " + invitation.instance() + " with key " + invitation.fingerprint()
                    + " as the invitation says; nothing was pinned");
        }
        StoredPeer stored = new StoredPeer(invitation.id(), answer.name(), invitation.url(), theirs.line(),
                theirs.fingerprint(), !answer.dialsYou(), false, clock.instant(), 0, 0, 0);
        store.insertPeer(stored, new AuditEntry(caller.source(), "federation.join", "peer/" + stored.name(), null,
                peerSummary(stored)));
        return added(stored);
    }

    /**
     * Redeems an invitation for the instance that joins with it: no caller, the secret is the proof.
     * Every refusal counts as one of {@code address}, so that its log and audit entries are limited.
     *
     * @throws InvalidRequestException if a field of the request is missing or malformed, naming it
     * @throws UnauthenticatedException if the invitation is unknown, used or expired, or not the one
     *     the request names (then nothing is stored), or the request is not signed by the key it carries
     * @throws ConflictException if the joining instance has this instance's name, or a peer has its name
     *     or key already
     */
    public JoinAnswer accept(JoinRequest request, String address) {
        Ed25519Key theirs = signer(request, address);
        try {
            return redeem(request, theirs, address);
        } catch (ConflictException e) {
            refused(null, address, "a conflicting join: " + e.getMessage());
            throw e;
        }
    }

    /**
     * Redeems the invitation of a join request whose fields and signature were checked.
     *
     * @throws ConflictException if the joining instance has this instance's name, or a peer has its name
     *     or key already
     */
    private JoinAnswer redeem(JoinRequest request, Ed25519Key theirs, String address) {
        String peerName = request.name();
        if (peerName.equals(name)) {
            throw new ConflictException("this instance is " + name + " too; instance names must differ to peer");
        }
        Instant now = clock.instant();
        // Who dials is the invitation's to say; the peer is stored as it says, in the same transaction.
        boolean dialOut = store.invitations().stream().filter(known -> known.id().equals(request.invitation()))
                .findFirst().map(StoredInvitation::dialOut).orElse(false);
        StoredPeer candidate = new StoredPeer(request.invitation(), peerName, Invitation.checkUrl(request.url()),
                theirs.line(), theirs.fingerprint(), dialOut, false, now, 0, 0, 0);
        AuditEntry joined = new AuditEntry(new Source(Source.Kind.PEER, peerName), "federation.joined",
                "peer/" + peerName, null, peerSummary(candidate));
        StoredInvitation invitation = store.redeem(request.invitation(), Invitation.hash(request.secret()), now,
                candidate, joined).orElseThrow(() -> {
                    refused(null, address, "a join with an unknown, used or expired invitation, or another's id");
                    return new UnauthenticatedException("the invitation is unknown, used or expired, or has another"
                            + " id");
                });
        added(candidate);
        return new JoinAnswer(name, key.publicKey().line(), invitation.dialOut());
    }

    /**
     * Checks every field of a join request, which anyone may send, before anything is done with it,
     * and its signature.
     *
     * @return the key that signed it
     * @throws InvalidRequestException naming the first field that is missing or malformed
     * @throws UnauthenticatedException if the key it carries did not sign it
     */
    private Ed25519Key signer(JoinRequest request, String address) {
        Ed25519Key theirs;
        byte[] signature;
        try {
            field("invitation", () -> required(request.invitation(), "the invitation's id is required"));
            field("secret", () -> matching(Invitation.SECRET, request.secret(),
                    "the invitation's secret is 43 characters of base64url"));
            field("name", () -> matching(Invitation.INSTANCE_NAME, request.name(), "the joining instance's name is"
                    + " 1 to 63 lower-case letters, digits and dashes, starting and ending with a letter or digit"));
            field("url", () -> Invitation.checkUrl(request.url()));
            theirs = field("publicKey", () -> Ed25519Key.parse(request.publicKey()));
            signature = field("signature", () -> signature(request.signature()));
        } catch (InvalidRequestException e) {
            refused(null, address, "a malformed join request: " + e.getMessage());
            throw e;
        }
        if (!theirs.verifies(joinText(request), signature)) {
            refused(null, address, "a join request not signed by the key it carries");
            throw new UnauthenticatedException("the join request is not signed by the key it carries");
        }
        return theirs;
    }

    /** Checks a field of a request, naming it when it is missing or malformed. */
    private static <T> T field(String field, Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException("field '" + field + "': " + e.getMessage());
        }
    }

    private static <T> T required(T value, String rule) {
        if (value == null) {
            throw new InvalidRequestException(rule);
        }
        return value;
    }

    private static String matching(Pattern pattern, String value, String rule) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidRequestException(rule);
        }
        return value;
    }

    /** Reads an Ed25519 signature in base64, with or without padding. */
    private static byte[] signature(String text) {
        String rule = "the signature is an Ed25519 signature, " + SIGNATURE_BYTES + " bytes in base64";
        // Bounded before it is decoded: base64 takes 4 characters for 3 bytes.
        if (text == null || text.length() > SIGNATURE_BYTES * 2) {
            throw new InvalidRequestException(rule);
        }
        try {
            byte[] signature = Base64.getDecoder().decode(text);
            if (signature.length != SIGNATURE_BYTES) {
                throw new InvalidRequestException(rule);
            }
            return signature;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(rule);
        }
    }

    /** A peer as REST and the shell show it. */
    public record PeerView(String name, String url, String fingerprint, boolean dialOut, boolean suspended,
            boolean connected, Instant connectedSince, Integer protocol, long enqueued, long acknowledged, long lag,
            long received, long refused, long unknownTypes, long handlerFailures, long resyncs, String lastProblem,
            Instant created) {
    }

    public List<PeerView> peers(Caller caller) {
        caller.require(FEDERATION_READ);
        return peers.values().stream().map(Federation::view).sorted(Comparator.comparing(PeerView::name)).toList();
    }

    public PeerView peer(Caller caller, String peerName) {
        caller.require(FEDERATION_READ);
        return view(named(peerName));
    }

    /** Suspends or resumes a peer: while suspended, no link; what it is granted waits in its outbox. */
    public PeerView suspend(Caller caller, String peerName, boolean suspended) {
        caller.require(FEDERATION_MANAGE);
        Peer peer = named(peerName);
        StoredPeer before = peer.stored();
        StoredPeer after = new StoredPeer(before.id(), before.name(), before.url(), before.publicKey(),
                before.fingerprint(), before.dialOut(), suspended, before.created(), before.enqueued(),
                before.acknowledged(), before.received());
        store.updatePeer(after, new AuditEntry(caller.source(), suspended ? "federation.suspend" : "federation.resume",
                "peer/" + peerName, peerSummary(before), peerSummary(after)));
        peer.stored(after);
        redial(peer);
        return view(peer);
    }

    /** Sets who dials: this instance (to {@code url}), or the peer. */
    public PeerView dial(Caller caller, String peerName, boolean dialOut, String url) {
        caller.require(FEDERATION_MANAGE);
        Peer peer = named(peerName);
        String target = url == null || url.isBlank() ? peer.stored().url() : Invitation.checkUrl(url);
        if (dialOut && target == null) {
            throw new InvalidRequestException("this instance cannot dial " + peerName + " without its url");
        }
        StoredPeer before = peer.stored();
        StoredPeer after = withDial(before, dialOut, target);
        store.updatePeer(after, new AuditEntry(caller.source(), "federation.dial", "peer/" + peerName,
                peerSummary(before), peerSummary(after)));
        peer.stored(after);
        redial(peer);
        return view(peer);
    }

    /** Removes a peer: its pinned key, grants and outbox, its remote systems here, and the link. */
    public void remove(Caller caller, String peerName) {
        caller.require(FEDERATION_MANAGE);
        Peer peer = named(peerName);
        store.deletePeer(peer.id(), new AuditEntry(caller.source(), "federation.remove", "peer/" + peerName,
                peerSummary(peer.stored()), null));
        peers.remove(peer.id());
        grants.removeIf(grant -> grant.peer().equals(peer.id()));
        Dialer dialer = dialers.remove(peer.id());
        if (dialer != null) {
            dialer.stop();
        }
        Link link = peer.link();
        if (link != null) {
            link.close("the peer was removed");
        }
        // Else a snapshot being applied could make its remote systems again after they are forgotten.
        peer.removed();
        remote.forget(peer);
        delivery.grantsChanged();
    }

    /** A grant as REST and the shell show it. */
    public record GrantView(UUID id, String peer, String system, boolean members, Set<String> actions,
            String createdBy, Instant created, Instant expires, Instant revoked, boolean active) {
    }

    /**
     * Grants a peer read access to one of this instance's systems, by default with its members.
     *
     * @param expires when it ends by itself; {@code null} for never
     */
    public GrantView grant(Caller caller, String peerName, String system, boolean members, Set<String> actions,
            Instant expires) {
        caller.require(FEDERATION_MANAGE);
        if (peerName == null || system == null) {
            throw new InvalidRequestException("a grant names a peer and a system");
        }
        Peer peer = named(peerName);
        ManagedSystem granted = systems.get(system);
        if (SystemDraft.peer(granted.slug()).isPresent()) {
            throw new InvalidRequestException("system " + system + " belongs to another instance: only its own"
                    + " instance can grant it");
        }
        Instant now = clock.instant();
        if (expires != null && !expires.isAfter(now)) {
            throw new InvalidRequestException("the grant would expire before it starts: " + expires);
        }
        // An action is what a peer asks for, as a plugin's message type.
        actions.forEach(PeerMessage::checkType);
        StoredGrant stored = new StoredGrant(UUID.randomUUID(), peer.id(), granted.id(), members, actions,
                caller.source().name(), now, expires, null);
        ObjectNode audited = JsonNodeFactory.instance.objectNode().put("system", granted.slug())
                .put("members", members);
        actions.stream().sorted().forEach(audited.putArray("actions")::add);
        store.insertGrant(stored, new AuditEntry(caller.source(), "federation.grant", "peer/" + peerName, null,
                audited.toString()));
        grants.add(stored);
        delivery.grantsChanged();
        return view(stored, now);
    }

    /** Revokes a grant: a connected peer loses the systems within seconds. */
    public GrantView revoke(Caller caller, UUID grantId) {
        caller.require(FEDERATION_MANAGE);
        StoredGrant grant = grants.stream().filter(candidate -> candidate.id().equals(grantId)).findFirst()
                .orElseThrow(() -> new NotFoundException("no grant " + grantId));
        if (systems.find(grant.system()).isEmpty()) {
            // The store deleted it with its system; this instance is told of the deletion a moment later.
            forgetGrantsOn(grant.system());
            throw new NotFoundException("no grant " + grantId + ": it was deleted with its system");
        }
        Instant now = clock.instant();
        Peer peer = peers.get(grant.peer());
        if (!store.revokeGrant(grantId, now, new AuditEntry(caller.source(), "federation.revoke",
                "peer/" + (peer == null ? grant.peer() : peer.name()), null, "{\"grant\":\"" + grantId + "\"}"))) {
            throw new ConflictException("grant " + grantId + " is revoked already");
        }
        StoredGrant revoked = new StoredGrant(grant.id(), grant.peer(), grant.system(), grant.members(),
                grant.actions(), grant.createdBy(), grant.created(), grant.expires(), now);
        // What it covered before the grant is replaced: the delivery thread may work coverage out meanwhile.
        Set<UUID> before = Set.copyOf(coveredNow(grant.peer()));
        grants.replaceAll(candidate -> candidate.id().equals(grantId) ? revoked : candidate);
        delivery.grantsChanged();
        if (peer != null && peer.link() != null) {
            // Tell it at once, ahead of whatever waits in its outbox.
            List<String> gone = before.stream().filter(system -> !stillGranted(grant.peer(), system, grantId, now))
                    .map(systems::find).flatMap(Optional::stream).map(ManagedSystem::slug).toList();
            if (!gone.isEmpty()) {
                peer.link().revoke(gone);
            }
        }
        return view(revoked, now);
    }

    /** Returns the grants, revoked and expired ones too, but not those deleted with their system. */
    public List<GrantView> grants(Caller caller) {
        caller.require(FEDERATION_READ);
        Instant now = clock.instant();
        return grants.stream().filter(grant -> systems.find(grant.system()).isPresent())
                .map(grant -> view(grant, now)).toList();
    }

    // --- systems ---

    /**
     * Forgets the grants on a system deleted here, which the store deleted with it; the peers' next
     * snapshots leave it out, and their remote systems for it are deleted.
     */
    @Override
    public void event(SystemEvent event) {
        if (event.type() == SystemEvent.Type.REMOVED) {
            forgetGrantsOn(event.subject().id());
        }
    }

    private void forgetGrantsOn(UUID system) {
        if (grants.removeIf(grant -> grant.system().equals(system))) {
            delivery.grantsChanged();
        }
    }

    // --- plugins' messages ---

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(PeerMessageHandler handler) {
        handlers.add(handler);
    }

    void removeHandler(PeerMessageHandler handler) {
        handlers.remove(handler);
    }

    @Override
    public String send(String type, String system, String body) {
        PeerMessage.checkType(type);
        ManagedSystem about = systems.get(system);
        if (SystemDraft.peer(about.slug()).isPresent()) {
            throw new InvalidRequestException("system " + system + " belongs to another instance: only its own"
                    + " instance speaks for it");
        }
        String id = UUID.randomUUID().toString();
        delivery.send(new Delivery.Outgoing(id, type, about, messageBody(body)));
        return id;
    }

    @Override
    public String ask(String action, String system, String body) {
        PeerMessage.checkType(action);
        ManagedSystem about = systems.get(system);
        String owner = SystemDraft.peer(about.slug()).orElseThrow(() -> new InvalidRequestException("system "
                + system + " is this instance's own: ask only the instance that owns a remote system"));
        String id = UUID.randomUUID().toString();
        delivery.ask(new Delivery.Request(id, action, named(owner), about.slug().substring(owner.length() + 1),
                messageBody(body)));
        return id;
    }

    private ObjectNode messageBody(String body) {
        if (body != null && body.length() > config.maxFrameBytes() / 2) {
            throw new TooLargeException("a message body of at most " + config.maxFrameBytes() / 2
                    + " characters, not " + body.length());
        }
        return CanonicalJson.parseObject(body == null ? "{}" : body, config.maxFrameBytes() / 2);
    }

    private boolean permits(Peer peer, String action, String slug) {
        return permits(grants, systems, peer.id(), action, slug, clock.instant());
    }

    /**
     * Returns whether a peer may ask for an action on one of this instance's systems: a grant to it
     * in force names the action and covers the system, itself or, unless it is for the system alone,
     * among its members at any depth. Never on a third instance's system among them: a grant is not
     * passed on.
     */
    static boolean permits(Collection<StoredGrant> grants, SystemService systems, UUID peer, String action,
            String slug, Instant now) {
        return SystemDraft.peer(slug).isEmpty() && grants.stream().anyMatch(grant -> grant.peer().equals(peer)
                && grant.inForce(now)
                && grant.actions().contains(action) && covers(grant, systems, slug));
    }

    /** Returns whether a grant reaches a system: the one granted, or, unless it is for that alone, a member. */
    private static boolean covers(StoredGrant grant, SystemService systems, String slug) {
        Optional<ManagedSystem> granted = systems.find(grant.system());
        return granted.isPresent() && (granted.get().slug().equals(slug)
                || grant.members() && systems.transitiveMembers(granted.get().slug()).contains(slug));
    }

    // --- status ---

    @Override
    public void changed(StatusChange change) {
        delivery.statusChanged(change);
    }

    @Override
    public String name() {
        return "federation";
    }

    @Override
    public void start(StatusSink sink) {
        remote.start(sink);
    }

    @Override
    public void stop() {
        remote.stop();
    }

    // --- links ---

    /** Serves a connection a peer dialed. */
    Link accept(Link.Transport transport) {
        return Link.accepted(this, transport, clock);
    }

    @Override
    public String instanceName() {
        return name;
    }

    @Override
    public InstanceKey key() {
        return key;
    }

    @Override
    public int maxFrameBytes() {
        return config.maxFrameBytes();
    }

    @Override
    public int maxBatch() {
        return config.maxBatch();
    }

    @Override
    public Optional<Peer> peer(UUID id) {
        return Optional.ofNullable(peers.get(id));
    }

    @Override
    public void opened(Link link) {
        Peer peer = link.peer();
        Link previous = peer.connected(link, clock.instant());
        if (previous != null) {
            previous.close("replaced by a newer connection");
        }
        delivery.resend(peer);
        linked.run();
        LOG.info("Linked with {} (protocol {}, {})", peer.name(), link.protocol(),
                link.dialing() ? "dialed" : "accepted");
    }

    @Override
    public void closed(Link link, String reason) {
        Peer peer = link.peer();
        if (peer != null) {
            peer.disconnected(link, reason, clock.instant());
            LOG.info("Link with {} ended: {}", peer.name(), reason);
            Dialer dialer = dialers.get(peer.id());
            if (dialer != null) {
                dialer.lost();
            }
        }
    }

    @Override
    public void refused(Peer peer, String address, String reason) {
        if (peer != null) {
            peer.refused.incrementAndGet();
            peer.problem(reason);
        }
        String target = peer == null ? "address/" + address : "peer/" + peer.name();
        OptionalLong suppressed = refusals.count(peer == null ? "address/" + Refusals.network(address) : target);
        if (suppressed.isEmpty()) {
            return;
        }
        LOG.warn("Refused from {}: {}{}", peer == null ? address : peer.name(), reason,
                Refusals.suppressed(suppressed.getAsLong()));
        audit(peer == null ? new Source(Source.Kind.PEER, "unknown") : new Source(Source.Kind.PEER, peer.name()),
                "federation.refused", target, null, JsonNodeFactory.instance.objectNode().put("reason", reason)
                        .put("suppressed", suppressed.getAsLong()).toString());
    }

    @Override
    public void acknowledged(Peer peer, long seq) {
        if (seq > peer.acknowledged.get()) {
            store.acknowledge(peer.id(), seq);
            peer.acknowledged.accumulateAndGet(seq, Math::max);
        }
    }

    @Override
    public void resume(Peer peer, long theyHave) {
        delivery.resume(peer, theyHave);
        acknowledged(peer, theyHave);
    }

    @Override
    public void receive(Peer peer, long first, List<Message> messages) {
        peer.apply(first, messages, fresh -> remote.receive(peer, fresh));
    }

    @Override
    public void received(Peer peer, long seq) {
        store.received(peer.id(), seq);
        // Only ever raised, as stored: a link being replaced may store less after its successor stored more.
        peer.received.accumulateAndGet(seq, Math::max);
    }

    @Override
    public void revoked(Peer peer, List<String> systemsGone) {
        remote.revoked(peer, systemsGone);
    }

    @Override
    public Optional<Link.Batch<Link.Outgoing>> outbox(Peer peer, long afterSeq, int max) {
        List<OutboxMessage> rows = peer.kept(afterSeq, max);
        if (rows.isEmpty()) {
            rows = store.outbox(peer.id(), afterSeq, max);
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<Link.Outgoing> messages = rows.stream().map(row -> delivery.current(peer, row)).toList();
        return Optional.of(new Link.Batch<>(rows.get(0).seq(), messages));
    }

    // --- helpers ---

    private PeerView added(StoredPeer stored) {
        Peer peer = new Peer(stored);
        peers.put(stored.id(), peer);
        delivery.grantsChanged();
        dial(peer);
        return view(peer);
    }

    private void dial(Peer peer) {
        StoredPeer stored = peer.stored();
        if (stored.dialOut() && !stored.suspended() && stored.url() != null) {
            dialers.computeIfAbsent(peer.id(), id -> {
                Dialer dialer = new Dialer(this, peer, URI.create(stored.url() + LINK_PATH), clock,
                        Duration.ofSeconds(config.maxRetrySeconds()), config.maxFrameBytes());
                dialer.start();
                return dialer;
            });
        }
    }

    private void redial(Peer peer) {
        Dialer dialer = dialers.remove(peer.id());
        if (dialer != null) {
            dialer.stop();
        }
        Link link = peer.link();
        if (link != null && (peer.stored().suspended() || link.dialing() != peer.stored().dialOut())) {
            link.close(peer.stored().suspended() ? "suspended" : "the dialing side changed");
        }
        dial(peer);
    }

    private Peer named(String peerName) {
        return peers.values().stream().filter(peer -> peer.name().equals(peerName)).findFirst()
                .orElseThrow(() -> new NotFoundException("no peer " + Messages.quote(peerName)));
    }

    private Set<UUID> coveredNow(UUID peer) {
        return systems.list(null, null).stream().map(ManagedSystem::id)
                .filter(system -> delivery.covers(peer, system)).collect(java.util.stream.Collectors.toSet());
    }

    /** Whether a system stays granted to a peer by a grant other than the one revoked. */
    private boolean stillGranted(UUID peer, UUID system, UUID revoked, Instant now) {
        Optional<String> slug = systems.find(system).map(ManagedSystem::slug);
        return slug.isPresent() && grants.stream().anyMatch(grant -> grant.peer().equals(peer)
                && !grant.id().equals(revoked) && grant.inForce(now) && covers(grant, systems, slug.get()));
    }

    /** Where the HTTP runtime says it listens, such as {@code http://127.0.0.1:8181}. */
    private static String endpoint(Map<String, Object> http) {
        Object endpoints = http.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT);
        String first = endpoints instanceof String[] list && list.length > 0 ? list[0]
                : endpoints instanceof Collection<?> list && !list.isEmpty() ? String.valueOf(list.iterator().next())
                : endpoints instanceof String one ? one : "http://127.0.0.1:8181/";
        return first.replaceAll("/+$", "").replace("://0.0.0.0:", "://127.0.0.1:");
    }

    private JoinRequest signedJoin(Invitation invitation) {
        JoinRequest unsigned = new JoinRequest(invitation.id(), invitation.secret(), name, url,
                key.publicKey().line(), null);
        String signature = Base64.getEncoder().encodeToString(key.sign(joinText(unsigned)));
        return new JoinRequest(invitation.id(), invitation.secret(), name, url, key.publicKey().line(), signature);
    }

    /** The bytes a join request's signature covers: its fields as canonical JSON. */
    static byte[] joinText(JoinRequest request) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.put("invitation", String.valueOf(request.invitation()));
        fields.put("secret", request.secret());
        fields.put("name", request.name());
        fields.put("url", request.url());
        fields.put("publicKey", request.publicKey());
        return CanonicalJson.bytes(fields);
    }

    private static StoredPeer withDial(StoredPeer peer, boolean dialOut, String url) {
        return new StoredPeer(peer.id(), peer.name(), url, peer.publicKey(), peer.fingerprint(), dialOut,
                peer.suspended(), peer.created(), peer.enqueued(), peer.acknowledged(), peer.received());
    }

    /** An invitation as the audit log shows it. */
    private static String invitationSummary(Instant expires, boolean dialOut) {
        return JsonNodeFactory.instance.objectNode().put("expires", expires.toString()).put("dialOut", dialOut)
                .toString();
    }

    private static String peerSummary(StoredPeer peer) {
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        summary.put("name", peer.name());
        summary.put("url", peer.url());
        summary.put("fingerprint", peer.fingerprint());
        summary.put("dialOut", peer.dialOut());
        summary.put("suspended", peer.suspended());
        return summary.toString();
    }

    private void audit(Source actor, String action, String target, String before, String after) {
        audit.append(new AuditEntry(actor, action, target, before, after));
    }

    private static PeerView view(Peer peer) {
        StoredPeer stored = peer.stored();
        Link link = peer.link();
        return new PeerView(stored.name(), stored.url(), stored.fingerprint(), stored.dialOut(), stored.suspended(),
                link != null, peer.connectedSince(), link == null ? null : link.protocol(), peer.enqueued.get(),
                peer.acknowledged.get(), peer.lag(), peer.received.get(), peer.refused.get(),
                peer.unknownTypes.get(), peer.handlerFailures.get(), peer.resyncs.get(), peer.lastProblem(),
                stored.created());
    }

    private GrantView view(StoredGrant grant, Instant now) {
        Peer peer = peers.get(grant.peer());
        String system = systems.find(grant.system()).map(ManagedSystem::slug).orElse(grant.system().toString());
        boolean active = grant.inForce(now);
        return new GrantView(grant.id(), peer == null ? grant.peer().toString() : peer.name(), system,
                grant.members(), grant.actions(), grant.createdBy(), grant.created(), grant.expires(), grant.revoked(),
                active);
    }

    Collection<Peer> allPeers() {
        return peers.values();
    }

    /** Returns the peers that have no link now, with when they last had one and their remote systems here. */
    List<LinkWatch.Unlinked> unlinked() {
        return peers.values().stream().filter(peer -> peer.link() == null).map(peer -> new LinkWatch.Unlinked(
                peer.name(), Objects.requireNonNullElse(peer.unlinkedSince(), started),
                remote.granted(peer.name()).stream().map(slug -> peer.name() + "/" + slug).toList())).toList();
    }

    /** Sets what runs, on the link's thread, each time a peer's link opens: it must hand any work on. */
    void whenLinked(Runnable listener) {
        linked = listener;
    }

    /** How long a peer may be without a link before its systems here are reported unknown. */
    Duration unlinkedGrace() {
        return Duration.ofSeconds(config.unlinkedSeconds());
    }
}
