package io.dxpipe.serve.http;

import io.dxpipe.config.ConfigurationException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bearer tokens the service accepts, each with its roles and the principal name that goes to
 * the audit table. Only SHA-256 hashes of the tokens are kept, in a file or an environment
 * variable, one token a line:
 *
 * <pre>
 * # sha256-hex-of-token          roles            principal
 * 9f86d081884c7d65...0f00a08     clinician        ward-7-tablet
 * 60303ae22b998861...ef7b3a2     admin,monitor    ops-team
 * </pre>
 *
 * A stolen tokens file therefore gives no usable token (tokens are 256 random bits, so their hashes
 * cannot be reversed by guessing), and the file can be kept with the deployment's configuration.
 *
 * <p>Roles are explicit: {@code admin} does not imply {@code clinician}; a principal that needs
 * both lists both. A line that cannot be read stops loading with a {@link ConfigurationException}
 * naming the line number and what is wrong, never the hash.
 *
 * <p>Authentication hashes the presented token and compares it with every stored hash by
 * {@link MessageDigest#isEqual} (constant time), going through all of them whichever matches, so
 * the time taken says nothing about which hash or how much of it matched. Tokens shorter than
 * {@value #MIN_TOKEN_LENGTH} characters never authenticate, whatever the file holds.
 *
 * <p>Immutable and thread-safe; loading is cheap, so a reload builds a new instance that the server
 * swaps in.
 *
 * <p>{@link #main} prints a new token and its line for the file ({@code scripts/serve.sh token ROLE}).
 */
public final class Tokens {
  /** What a principal may do. Lower-case in files and messages. */
  public enum Role {
    /** Ask for predictions. */
    CLINICIAN,
    /** Reload the model, read the audit. */
    ADMIN,
    /** Read metrics. */
    MONITOR;

    /** The role's name as files and messages spell it. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The role a file names (any case), or empty. */
    public static Optional<Role> parse(String label) {
      for (Role r : values()) {
        if (r.label().equalsIgnoreCase(label.trim())) {
          return Optional.of(r);
        }
      }
      return Optional.empty();
    }
  }

  /** Who presented a valid token, and what the token allows. */
  public record Principal(String name, Set<Role> roles) {
    public Principal {
      roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    public boolean has(Role role) {
      return roles.contains(role);
    }
  }

  /** Shorter tokens never authenticate: {@link #newToken()} gives 43 characters (256 bits). */
  public static final int MIN_TOKEN_LENGTH = 32;
  /** Longer ones are not hashed (a header of megabytes is not a token). */
  static final int MAX_TOKEN_LENGTH = 1024;
  /** Principal names go to the audit table and logs: plain words, no spaces or markup. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
  /** RFC 6750's b64token. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Entry(byte[] hash, Principal principal) {}

  private final List<Entry> entries;

  private Tokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** No token authenticates (a service started without tokens answers 401 to everything but the open endpoints). */
  public static Tokens none() {
    return new Tokens(List.of());
  }

  /** The tokens file at {@code file}; a missing or unreadable file or a bad line is a {@link ConfigurationException}. */
  public static Tokens load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("tokens file " + file + " is not readable (" + e.getClass().getSimpleName()
          + "): check the path and its permissions");
    }
    return parse(text, "tokens file " + file);
  }

  /**
   * The tokens in environment variable {@code variable}: the file's lines, separated by newlines or
   * {@code ;} (an environment variable is often one line).
   */
  public static Tokens fromEnvironment(String variable) {
    String value = System.getenv(variable);
    if (value == null) {
      throw new ConfigurationException("environment variable " + variable + " is not set: it should hold the"
          + " token hash lines (make them with scripts/serve.sh token ROLE)");
    }
    return fromEnvironmentValue(variable, value);
  }

  /** {@link #fromEnvironment(String)} on a given value (what a test or a caller that read the environment has). */
  public static Tokens fromEnvironmentValue(String variable, String value) {
    return parse(value.replace(';', '\n'), "environment variable " + variable);
  }

  /** Lines of the file format; {@code origin} names where they come from in error messages. */
  static Tokens parse(String text, String origin) {
    List<Entry> entries = new ArrayList<>();
    List<Integer> lineOf = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNumber = i + 1;
      String line = lines[i];
      int comment = line.indexOf('#');
      if (comment >= 0) {
        line = line.substring(0, comment);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      String where = origin + " line " + lineNumber;
      if (parts.length != 3) {
        throw new ConfigurationException(where + " has " + parts.length + " fields: expected"
            + " '<sha256-hex-of-token> <role[,role]> <principal-name>'");
      }
      if (!HASH.matcher(parts[0]).matches()) {
        throw new ConfigurationException(where + ": the first field is not a SHA-256 hash in hex (64 hex digits);"
            + " store the token's hash, never the token (scripts/serve.sh token ROLE prints the line)");
      }
      Set<Role> roles = roles(parts[1], where);
      if (!NAME.matcher(parts[2]).matches()) {
        throw new ConfigurationException(where + ": the principal name must be 1-64 letters, digits or . _ @ -");
      }
      byte[] hash = HexFormat.of().parseHex(parts[0].toLowerCase(Locale.ROOT));
      for (int j = 0; j < entries.size(); j++) {
        if (MessageDigest.isEqual(entries.get(j).hash(), hash)) {
          throw new ConfigurationException(where + " repeats the token of line " + lineOf.get(j)
              + ": give each token one line, with all its roles");
        }
      }
      entries.add(new Entry(hash, new Principal(parts[2], roles)));
      lineOf.add(lineNumber);
    }
    return new Tokens(entries);
  }

  private static Set<Role> roles(String field, String where) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String label : field.split(",", -1)) {
      Optional<Role> r = label.isBlank() ? Optional.empty() : Role.parse(label);
      if (r.isEmpty()) {
        throw new ConfigurationException(where + ": role '" + shown(label) + "' is not one of " + roleList());
      }
      roles.add(r.get());
    }
    return roles;
  }

  /** A role name in an error message: short plain words only (it is config, but a misplaced token must not be echoed). */
  private static String shown(String label) {
    return label.length() <= 20 && label.chars().allMatch(Character::isLetter) ? label : "?";
  }

  private static String roleList() {
    StringBuilder b = new StringBuilder();
    for (Role r : Role.values()) {
      b.append(b.length() == 0 ? "" : ", ").append(r.label());
    }
    return b.toString();
  }

  /** These tokens and {@code other}'s (the file's and the environment variable's together). */
  public Tokens and(Tokens other) {
    List<Entry> all = new java.util.ArrayList<>(entries);
    all.addAll(other.entries);
    return new Tokens(all);
  }

  /** How many tokens are known. */
  public int size() {
    return entries.size();
  }

  /**
   * The principal of an {@code Authorization} header's bearer token, or empty when the header is
   * missing, of another scheme ({@code Basic ...}), or carries a token that is too short, malformed
   * or unknown. Every stored hash is compared, in constant time each.
   */
  public Optional<Principal> authenticate(String authorizationHeader) {
    if (authorizationHeader == null) {
      return Optional.empty();
    }
    String h = authorizationHeader.strip();
    int space = h.indexOf(' ');
    if (space < 0 || !h.substring(0, space).equalsIgnoreCase("Bearer")) {
      return Optional.empty();
    }
    String token = h.substring(space + 1).strip();
    if (token.length() < MIN_TOKEN_LENGTH || token.length() > MAX_TOKEN_LENGTH || !TOKEN.matcher(token).matches()) {
      return Optional.empty();
    }
    byte[] presented = sha256(token);
    Principal found = null;
    for (Entry e : entries) {
      boolean match = MessageDigest.isEqual(presented, e.hash());
      if (match && found == null) { // no break: every entry is compared whichever matches
        found = e.principal();
      }
    }
    return Optional.ofNullable(found);
  }

  /** A new token: 32 bytes from {@link SecureRandom}, base64url without padding (43 characters). */
  public static String newToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * The tokens-file line of {@code token} with {@code roles} (comma-separated) for principal
   * {@code name}; invalid roles or name are a {@link ConfigurationException}, as they would be when
   * the file is loaded.
   */
  public static String hashLine(String token, String roles, String name) {
    if (token.length() < MIN_TOKEN_LENGTH) {
      throw new ConfigurationException("a token must have at least " + MIN_TOKEN_LENGTH + " characters");
    }
    Set<Role> parsed = roles(roles, "roles");
    if (!NAME.matcher(name).matches()) {
      throw new ConfigurationException("the principal name must be 1-64 letters, digits or . _ @ -");
    }
    StringBuilder r = new StringBuilder();
    for (Role role : parsed) {
      r.append(r.length() == 0 ? "" : ",").append(role.label());
    }
    return HexFormat.of().formatHex(sha256(token)) + " " + r + " " + name;
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e); // every Java SE has it
    }
  }

  /**
   * {@code ROLE[,ROLE] [NAME]}: prints a new token on the first line and its tokens-file line on the
   * second. The token is shown once: give it to the client, add the line to the file (or variable).
   */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 1 || args.length > 2) {
      err.println("usage: Tokens ROLE[,ROLE] [NAME]   (roles: " + roleList() + ")");
      err.println("prints a new token, then the line to add to the tokens file");
      return 2;
    }
    String name = args.length == 2 ? args[1] : args[0].split(",")[0].toLowerCase(Locale.ROOT) + "-"
        + java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString().replace("-", "");
    String token = newToken();
    String line;
    try {
      line = hashLine(token, args[0], name);
    } catch (ConfigurationException e) {
      err.println(e.getMessage());
      return 2;
    }
    out.println(token);
    out.println(line);
    return 0;
  }
}
