package io.dxpipe.config;

import java.util.regex.Pattern;

/**
 * The one place that decides what is a secret before text is printed: keys whose name says so
 * ({@link #isSecretKey}), and credentials inside values ({@link #mask}): the password of a URI's
 * user info ({@code https://user:****@host}) and the values of secret-like parameters
 * ({@code ?sv=2022&sig=****}, {@code token=}, {@code password=}, {@code AccountKey=}...). Everything
 * that prints configuration, storage locations or error messages goes through it.
 */
public final class Secrets {
  public static final String MASK = "****";

  /** Keys whose values are never printed. */
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(secret|password|passwd|token|credential|hmac|sas|(^|[.\\-\"])key([.\\-\"]|$)).*");

  /** scheme://user:password@ (the password may hold '@': the last '@' before the path ends it). */
  private static final Pattern USER_INFO =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@?#\"']*):[^/\\s?#\"']*@");

  /**
   * name=value where the name is a SAS signature or ends like a credential. The value runs to the
   * next parameter, fragment, space or quote; not to '/', which base64 signatures may hold.
   */
  private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)((?:^|[?&;,\\s(])(?:sig|sas|code|pwd"
      + "|[\\w.-]*(?:token|secret|password|passwd|signature|credential|key))=)[^&#;,\\s\"')\\]]+");

  private Secrets() {}

  /** A key is secret when a word of it says so: secret, password, token, credential, hmac, sas, key. */
  public static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  /** The text with credentials in URIs and secret-like parameters replaced by {@value #MASK}; null stays null. */
  public static String mask(String text) {
    if (text == null || text.indexOf('=') < 0 && text.indexOf('@') < 0) {
      return text;
    }
    String s = USER_INFO.matcher(text).replaceAll("$1:" + MASK + "@");
    return SECRET_PARAMETER.matcher(s).replaceAll("$1" + MASK);
  }
}
