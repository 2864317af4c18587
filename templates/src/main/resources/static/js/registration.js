// Checks username availability as the user types; the form works without it (the server checks on submit).
(function () {
  var input = document.getElementById('username');
  var status = document.getElementById('username-status');
  if (!input || !status || !window.fetch) { return; }
  var timer;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    var value = input.value.trim();
    if (value.length < 2) { status.textContent = ''; return; }
    timer = setTimeout(function () {
      fetch('registration/available?username=' + encodeURIComponent(value), { headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          if (input.value.trim() !== value) { return; }
          status.textContent = body.available ? 'Available.' : body.message;
          input.setAttribute('aria-invalid', body.available ? 'false' : 'true');
        })
        .catch(function () { status.textContent = ''; });
    }, 300);
  });
})();
