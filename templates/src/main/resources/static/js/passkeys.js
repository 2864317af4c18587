// Passkeys (WebAuthn) for Tessera's pages: sign in (first or second factor) and register one from /account/mfa.
// The JSON shapes are those Spring Security's WebAuthn endpoints read; binary fields travel as base64url.
"use strict";
(function () {
  function bytesFromBase64Url(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4 !== 0) {
      base64 += "=";
    }
    var binary = window.atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function base64UrlFromBytes(buffer) {
    var binary = "";
    new Uint8Array(buffer).forEach(function (b) { binary += String.fromCharCode(b); });
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function postJson(path, body) {
    var headers = { "Content-Type": "application/json" };
    var csrf = document.querySelector("input[name='_csrf']");
    if (csrf) {
      headers["X-CSRF-TOKEN"] = csrf.value;
    }
    return fetch(path, { method: "POST", headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) });
  }

  function say(id, text) {
    var element = document.getElementById(id);
    if (element) {
      element.textContent = text;
      element.hidden = false;
    }
  }

  async function signIn() {
    var optionsResponse = await postJson("/webauthn/authenticate/options");
    if (!optionsResponse.ok) {
      throw new Error("options: HTTP " + optionsResponse.status);
    }
    var options = await optionsResponse.json();
    options.challenge = bytesFromBase64Url(options.challenge);
    options.allowCredentials = (options.allowCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: bytesFromBase64Url(c.id) });
    });
    var credential = await navigator.credentials.get({ publicKey: options });
    var response = credential.response;
    var result = await postJson("/login/webauthn", {
      id: credential.id,
      rawId: base64UrlFromBytes(credential.rawId),
      credType: credential.type,
      response: {
        authenticatorData: base64UrlFromBytes(response.authenticatorData),
        clientDataJSON: base64UrlFromBytes(response.clientDataJSON),
        signature: base64UrlFromBytes(response.signature),
        userHandle: response.userHandle ? base64UrlFromBytes(response.userHandle) : undefined
      },
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment
    });
    var answer = await result.json().catch(function () { return {}; });
    if (!result.ok || !answer.authenticated) {
      throw new Error("refused");
    }
    return answer.redirectUrl;
  }

  async function register(label) {
    var optionsResponse = await postJson("/webauthn/register/options");
    if (!optionsResponse.ok) {
      throw new Error("options: HTTP " + optionsResponse.status);
    }
    var options = await optionsResponse.json();
    options.challenge = bytesFromBase64Url(options.challenge);
    options.user = Object.assign({}, options.user, { id: bytesFromBase64Url(options.user.id) });
    options.excludeCredentials = (options.excludeCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: bytesFromBase64Url(c.id) });
    });
    var created = await navigator.credentials.create({ publicKey: options });
    var response = created.response;
    var result = await postJson("/webauthn/register", { publicKey: { label: label, credential: {
      id: created.id,
      rawId: base64UrlFromBytes(created.rawId),
      type: created.type,
      response: {
        attestationObject: base64UrlFromBytes(response.attestationObject),
        clientDataJSON: base64UrlFromBytes(response.clientDataJSON),
        transports: response.getTransports ? response.getTransports() : []
      },
      clientExtensionResults: created.getClientExtensionResults(),
      authenticatorAttachment: created.authenticatorAttachment
    } } });
    var answer = await result.json().catch(function () { return {}; });
    if (!result.ok || !answer.success) {
      throw new Error("refused");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var supported = !!window.PublicKeyCredential;
    var login = document.getElementById("passkey-login");
    if (login) {
      login.addEventListener("click", function () {
        if (!supported) {
          say("passkey-error", "This browser does not support passkeys.");
          return;
        }
        signIn().then(function (next) { window.location.assign(next); }).catch(function () {
          say("passkey-error", "The passkey was not accepted. Try again, or sign in another way.");
        });
      });
    }
    var form = document.getElementById("passkey-register");
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!supported) {
          say("passkey-register-error", "This browser does not support passkeys.");
          return;
        }
        // a session without a second factor yet confirms the new passkey at once by signing in with it: that is
        // its second factor, and the request that sent the member to set one up goes on
        var confirm = form.getAttribute("data-confirm") === "true";
        register(document.getElementById("passkey-label").value.trim()).then(function () {
          return confirm ? signIn() : "/account";
        }).then(function (next) {
          window.location.assign(next === "/account" ? "/account/mfa?passkeyAdded" : next);
        }).catch(function () {
          say("passkey-register-error", "The passkey was not added (cancelled, or already registered).");
        });
      });
    }
  });
})();
