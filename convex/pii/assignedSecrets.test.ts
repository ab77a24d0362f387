// Secrets known by what they are assigned to: env files, YAML, JSON, headers, query strings,
// URLs and command lines, and passwords named in prose in each supported language. And the
// names, placeholders and prose that only look like an assignment of a secret.
import { describe, expect, it } from "vitest";
import { findAssignedSecrets, isSecretName } from "./assignedSecrets";
import { redactPii } from "./redact";
import { matched } from "./testing";

const SECRET = "uW1z0BqEfzEwuWyZXjdgLIH9ZvQq2JOZiSZENejG";

describe("findAssignedSecrets", () => {
  it.each([
    [`AWS_SECRET_ACCESS_KEY=${SECRET}`, SECRET],
    [`aws_secret_access_key = ${SECRET}`, SECRET],
    [`{"SecretAccessKey": "${SECRET}", "Expiration": "2024-06-01"}`, SECRET],
    [`s3:\n  secretAccessKey: ${SECRET}\n  region: eu-west-1`, SECRET],
    ["DB_PASSWORD=shadow337", "shadow337"],
    ["spring.datasource.password=Primavera2019!", "Primavera2019!"],
    ['password = "M@pl3#65"', "M@pl3#65"],
    ["API_TOKEN: l0psr4SpT9jyZBy34SdMj3ZQ95T1rpVW4HmQHglF", "l0psr4SpT9jyZBy34SdMj3ZQ95T1rpVW4HmQHglF"],
    ["x-api-key: hD6dEsKO6Aa3U4XBBJ1zwy3T5QNT5dI4", "hD6dEsKO6Aa3U4XBBJ1zwy3T5QNT5dI4"],
    ["Authorization: Bearer 8f2a9c1d7e4b6a3f0c5d", "8f2a9c1d7e4b6a3f0c5d"],
    ["Authorization: Basic YXBpOnJpdmVyMjc4T3Jhbmdl", "YXBpOnJpdmVyMjc4T3Jhbmdl"],
    ["client_secret=Cd9SCMKggWZvT5nVdMvs7Z6uIO1YTs4F&client_id=web", "Cd9SCMKggWZvT5nVdMvs7Z6uIO1YTs4F"],
    ["/forecast?lat=52.37&appid=748266bacb35d2e94a63812812a69a49", "748266bacb35d2e94a63812812a69a49"],
    ["AccountName=acme;AccountKey=JJqR4aUQA0kO485FDk6N7jRc3ND3z1XO==;EndpointSuffix=core", "JJqR4aUQA0kO485FDk6N7jRc3ND3z1XO=="],
    ["kubectl create secret generic api --from-literal=API_SECRET=fS4MCBAt5wS7Jir", "fS4MCBAt5wS7Jir"],
    ["DATABASE_URL=postgres://app:k6Gqxabq-AQoy5giw@db.internal:5432/app", "k6Gqxabq-AQoy5giw"],
    ["redis://:pW7l6bRU-OJbMUNi0@cache.internal:6379/0", "pW7l6bRU-OJbMUNi0"],
    ["mysql -u root -p3hmtsZYjSAEFqKYWr -h db.internal shop", "3hmtsZYjSAEFqKYWr"],
    ["docker login -u ci-bot -p wmQhtIefOE939r registry.example.com", "wmQhtIefOE939r"],
    ["ssh deploy@host with password Sommer2024 — move it to the vault", "Sommer2024"],
    ["La contraseña de la base de datos es rak2mHZapf84s*U0", "rak2mHZapf84s*U0"],
    ["mot de passe : tiger-harbor-pepper-rocket", "tiger-harbor-pepper-rocket"],
    ["Mon mot de passe Wi-Fi du bureau est Zomer2025!", "Zomer2025!"],
    ["Kennwort für den FTP-Zugang: Or@ng3!38", "Or@ng3!38"],
    ["Wachtwoord: Z3br@_91", "Z3br@_91"],
    ["La password del database è kSAnQ7y!CKm5Es-", "kSAnQ7y!CKm5Es-"],
    ["A minha palavra-passe é Sommer2023?", "Sommer2023?"],
    ["Senha: river-harbor-zebra-sierra", "river-harbor-zebra-sierra"],
    ["パスワード：hunter15", "hunter15"],
  ])("finds the secret in %j", (text, secret) => {
    expect(matched(text, findAssignedSecrets(text)).map(([, value]) => value)).toContain(secret);
    expect(redactPii(text).text).not.toContain(secret);
  });

  it.each([
    'api_key: "<YOUR_API_KEY>"',
    "password: ********",
    "パスワードは ******** と表示されます",
    "DB_PASSWORD=${DB_PASSWORD}",
    "token: {{ .Values.token }}",
    "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "env:\n  - name: API_TOKEN\n    valueFrom:\n      secretKeyRef:\n        name: api-credentials\n        key: token",
    "token_type=bearer&expires_in=3600&scope=read",
    "Set the header `Authorization: Bearer <token>` on every request",
    "PUBLIC_KEY=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A",
    "TOKEN_TTL=3600",
    "Password: required",
    "Your password reset link has expired.",
    "the password is strong",
    "api_key = os.getenv('API_KEY')",
    "ssh -p 2222 deploy@example.com",
    "postgres://user:password@localhost/db",
  ])("finds no secret in %j", (text) => {
    expect(findAssignedSecrets(text)).toEqual([]);
  });

  it("reads names with the secret word anywhere and skips names that describe one", () => {
    expect(["GITHUB_TOKEN", "signing_secret", "clientSecret", "x-api-key", "SECRET_KEY_BASE", "Passwort"].every(isSecretName)).toBe(
      true,
    );
    expect(["token_type", "secretKeyRef", "PUBLIC_KEY", "password_hash", "key", "TOKEN_URL"].some(isSecretName)).toBe(false);
  });

  it("leaves a redacted assignment alone on a second pass", () => {
    const once = redactPii("DB_PASSWORD=shadow337 and API_TOKEN: l0psr4SpT9jyZBy34SdMj3ZQ95T1rpVW4HmQHglF").text;
    expect(once).toBe("DB_PASSWORD=[API_KEY] and API_TOKEN: [API_KEY]");
    expect(redactPii(once).text).toBe(once);
  });
});
