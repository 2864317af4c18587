// Type-ahead for the institution discovery page; the page works without it (the search form).
(function () {
  var input = document.getElementById('q');
  var list = document.getElementById('results');
  if (!input || !list || !window.fetch) { return; }
  var timer;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2) { return; }
      fetch('/saml/discovery/search?q=' + encodeURIComponent(q), { headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (idps) {
          list.textContent = '';
          idps.forEach(function (idp) {
            var li = document.createElement('li');
            var a = document.createElement('a');
            a.href = idp.login;
            a.textContent = idp.name;   // text, never markup
            li.appendChild(a);
            var span = document.createElement('span');
            span.className = 'small';
            span.textContent = ' ' + idp.domains.join(', ');
            li.appendChild(span);
            list.appendChild(li);
          });
        });
    }, 200);
  });
}());
