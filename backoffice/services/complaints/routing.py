"""Routing a complaint by its text: category, department and a calibrated confidence (DESIGN.md §4.3).

The model is a logistic regression over TF-IDF features (segmented words with and without
diacritics, character n-grams of the folded text, and the citizen's topic as one more feature),
calibrated by temperature scaling fitted on out-of-fold predictions grouped by author. The
department's confidence is the sum of its categories' probabilities; below the threshold chosen
on out-of-fold predictions of the training authors the complaint goes to triage.

The model file is versioned (a header dict beside the fitted pipeline) and loaded once per process.
scikit-learn and pyvi are imported on first use only, so the web app does not pay for them at start.
"""
import hashlib
import math
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from backoffice.services import DomainError
from backoffice.services.complaints import text as reading
from backoffice.services.complaints.dataset import CATEGORIES, CORPUS_PATH, Example, load_corpus, split

TRIAGE = "triage"
DEPARTMENT_OF = {
    "personal_info": "THU_SO_THE",
    "contribution_history": "THU_SO_THE",
    "health_card_info": "THU_SO_THE",
    "benefits": "CS_BHXH",
    "medical_care": "CS_BHYT",
    "app_technical": "CNTT",
}
DEPARTMENTS = tuple(dict.fromkeys(DEPARTMENT_OF.values()))

MODEL_FORMAT = "bhxh-complaint-router"
MODEL_VERSION = 1
MODEL_NAME = f"router-v{MODEL_VERSION}.joblib"
PACKAGED_MODEL = Path(__file__).parent / "model" / MODEL_NAME

# Chosen by 5-fold cross-validation grouped by author on the 31 training authors of the finished corpus
# (bench/complaints_router.py --tune, docs/benchmarks.md "Complaint routing"); the test authors were not read.
DEFAULT_PARAMS = {"C": 30.0, "hint_weight": 0.1, "char_ngrams": (2, 5), "word_ngrams": (1, 2)}
# The threshold aims above the targets (92% right among routed texts, at most 15% to triage) so that
# texts of unseen authors still meet them. Chosen on the other training authors and applied to one
# (--thresholds), goal 0.98 with the cap at 12% routed 97.7% right and sent 12.0% to triage; goals
# 0.92-0.94 sent nothing to triage and routed only 95.1% right.
ROUTED_ACCURACY_GOAL = 0.98
TRIAGE_CAP = 0.12
CONFIDENT = 0.8
CV_FOLDS = 5
MAX_TEXT_CHARS = 20_000


class RoutingError(DomainError):
    """A text the router cannot read (empty, too long); `code` names the case for the command's JSON."""

    def __init__(self, code, message):
        super().__init__(message, field="text")
        self.code = code


class ModelError(Exception):
    """A model file that is missing, of another format or version, or made by another scikit-learn."""


@dataclass(frozen=True)
class Route:
    """Where a complaint goes: its category, its department (or 'triage') and the department's confidence."""

    category: str
    department: str
    confidence: float

    def as_dict(self):
        """The §10 JSON object."""
        return {"category": self.category, "department": self.department, "confidence": self.confidence}


@dataclass
class Router:
    """A fitted pipeline with its temperature, triage threshold and header."""

    pipeline: object
    temperature: float
    threshold: float
    header: dict = field(default_factory=dict)

    def probabilities(self, docs):
        """Calibrated category probabilities (rows in CATEGORIES order) of `reading.read` tuples."""
        import numpy as np

        order = [list(self.pipeline.classes_).index(c) for c in CATEGORIES]
        return _softmax(self.scores(docs)[:, order] / self.temperature, np)

    def scores(self, docs):
        """The logistic regression's raw scores (columns in `classes_` order), as the pipeline computes them.

        Done by hand because scikit-learn's checks and the union's job dispatch cost more than the
        arithmetic for one text (about half of the time per line of `classify --jsonl`); softmax of
        these equals the pipeline's predict_proba (a test compares them).
        """
        from scipy import sparse

        union, model = self.pipeline.named_steps["features"], self.pipeline.named_steps["classifier"]
        weights = union.transformer_weights or {}
        array = _as_array(docs)
        features = sparse.hstack([vectorizer.transform(array) * weights.get(name, 1.0)
                                  for name, vectorizer in union.transformer_list]).tocsr()
        return features @ model.coef_.T + model.intercept_

    def routes(self, docs) -> list[Route]:
        """The routes of `reading.read` tuples."""
        return [_route(row, self.threshold) for row in self.probabilities(docs)]

    def route(self, text: str, hint: str | None = None) -> Route:
        """The route of one complaint."""
        return self.routes([reading.read(check_text(text), _hint(hint))])[0]


def check_text(text) -> str:
    """The text if the router can read it; RoutingError otherwise."""
    if not isinstance(text, str):
        raise RoutingError("invalid_text", "Nội dung phản ánh phải là văn bản (chuỗi ký tự).")
    if not text.strip():
        raise RoutingError("empty_text", "Nội dung phản ánh trống: hãy nhập nội dung cần phân loại.")
    if len(text) > MAX_TEXT_CHARS:
        raise RoutingError("text_too_long", f"Nội dung dài quá {MAX_TEXT_CHARS} ký tự: hãy rút gọn rồi gửi lại.")
    return text


def _hint(hint):
    # An unknown topic is no information, not an error: the citizen's pick is only a hint.
    return hint if hint in CATEGORIES else None


def _as_array(docs):
    import numpy as np

    array = np.empty(len(docs), dtype=object)
    array[:] = list(docs)
    return array


def _softmax(logits, np):
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def department_probabilities(row) -> dict[str, float]:
    """Each department's probability: the sum over its categories."""
    totals = dict.fromkeys(DEPARTMENTS, 0.0)
    for category, p in zip(CATEGORIES, row):
        totals[DEPARTMENT_OF[category]] += float(p)
    return totals


def _route(row, threshold) -> Route:
    totals = department_probabilities(row)
    department = max(totals, key=totals.get)
    category = max((c for c in CATEGORIES if DEPARTMENT_OF[c] == department), key=lambda c: row[CATEGORIES.index(c)])
    confidence = round(min(totals[department], 1.0), 4)
    return Route(category, department if confidence >= threshold else TRIAGE, confidence)


# --- building and training -------------------------------------------------------------------------------

def build_pipeline(params=None):
    """The unfitted feature union and logistic regression."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    params = {**DEFAULT_PARAMS, **(params or {})}
    word = {"token_pattern": r"(?u)\b\w+\b", "ngram_range": tuple(params["word_ngrams"]), "sublinear_tf": True,
            "lowercase": False, "dtype": np.float32}
    features = FeatureUnion([
        ("words", TfidfVectorizer(preprocessor=reading.words_part, **word)),
        ("folded_words", TfidfVectorizer(preprocessor=reading.folded_words_part, **word)),
        ("chars", TfidfVectorizer(preprocessor=reading.folded_text_part, analyzer="char_wb", min_df=2,
                                  ngram_range=tuple(params["char_ngrams"]), sublinear_tf=True, lowercase=False,
                                  dtype=np.float32)),
        ("hint", CountVectorizer(analyzer=reading.hint_feature, binary=True, lowercase=False)),
    ], transformer_weights={"words": 1.0, "folded_words": 1.0, "chars": 1.0, "hint": params["hint_weight"]})
    return Pipeline([("features", features), ("classifier", LogisticRegression(C=params["C"], max_iter=3000))])


def read_all(examples) -> list[tuple]:
    """The model input of each example."""
    return [reading.read(e.text, e.hint) for e in examples]


def folds(examples, n_splits=CV_FOLDS):
    """Cross-validation splits grouped by author (so no author is both fitted and scored)."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    groups = [e.author for e in examples]
    labels = [e.category for e in examples]
    if len(set(groups)) >= 2:
        return list(GroupKFold(n_splits=min(n_splits, len(set(groups)))).split(labels, labels, groups))
    # One author only (an early corpus): lines are all that can be split.
    smallest = min(labels.count(c) for c in set(labels))
    return list(StratifiedKFold(n_splits=max(2, min(n_splits, smallest))).split(labels, labels))


def out_of_fold_log_proba(examples, docs=None, params=None):
    """Uncalibrated out-of-fold log-probabilities (CATEGORIES order) of the examples."""
    import numpy as np

    docs = _as_array(docs if docs is not None else read_all(examples))
    labels = np.array([e.category for e in examples])
    result = np.full((len(examples), len(CATEGORIES)), -math.log(len(CATEGORIES)))
    for fitted, scored in folds(examples):
        pipeline = build_pipeline(params).fit(docs[fitted], labels[fitted])
        columns = [list(pipeline.classes_).index(c) if c in pipeline.classes_ else None for c in CATEGORIES]
        log_proba = pipeline.predict_log_proba(docs[scored])
        for target, source in enumerate(columns):
            # A category absent from a fold's training part gets a tiny probability, not a crash.
            result[scored, target] = log_proba[:, source] if source is not None else -30.0
    return result


def fit_temperature(log_proba, labels) -> float:
    """The temperature that minimises the log loss of softmax(log_proba / T) (Guo et al., 2017)."""
    import numpy as np
    from scipy.optimize import minimize_scalar

    index = np.array([CATEGORIES.index(c) for c in labels])

    def loss(log_t):
        p = _softmax(log_proba / math.exp(log_t), np)
        return -np.mean(np.log(np.clip(p[np.arange(len(index)), index], 1e-12, None)))

    return float(math.exp(minimize_scalar(loss, bounds=(-3.0, 3.0), method="bounded").x))


def choose_threshold(probabilities, labels, goal=None, cap=None) -> float:
    """The lowest department confidence that keeps routed texts `goal` right, triaging at most `cap` of them."""
    goal = ROUTED_ACCURACY_GOAL if goal is None else goal
    cap = TRIAGE_CAP if cap is None else cap
    rows = sorted(((department_probabilities(row), DEPARTMENT_OF[label]) for row, label in zip(probabilities, labels)),
                  key=lambda item: -max(item[0].values()))
    n, right, for_accuracy, for_cap = len(rows), 0, None, None
    # Walk from the most confident down: a threshold at the k-th confidence routes the first k texts.
    for k, (totals, truth) in enumerate(rows, 1):
        confidence = max(totals.values())
        right += max(totals, key=totals.get) == truth
        if right / k >= goal:
            for_accuracy = confidence
        if for_cap is None and (n - k) / n <= cap:
            for_cap = confidence
    if for_accuracy is None:
        return for_cap or 0.0
    return min(for_accuracy, for_cap) if for_cap is not None else for_accuracy


def fit(examples, params=None, meta=None) -> tuple[Router, dict]:
    """A router fitted on the examples, with its out-of-fold figures (used for temperature and threshold)."""
    import numpy as np
    import sklearn
    from threadpoolctl import threadpool_limits

    params = {**DEFAULT_PARAMS, **(params or {})}
    docs = read_all(examples)
    labels = [e.category for e in examples]
    # One BLAS thread: on two shared cores, more threads made the fit ten times slower, not faster.
    with threadpool_limits(limits=1):
        oof = out_of_fold_log_proba(examples, docs, params)
        temperature = fit_temperature(oof, labels)
        calibrated = _softmax(oof / temperature, np)
        threshold = choose_threshold(calibrated, labels)
        pipeline = build_pipeline(params).fit(_as_array(docs), np.array(labels))
    header = {"format": MODEL_FORMAT, "version": MODEL_VERSION, "sklearn": sklearn.__version__,
              "trained_at": datetime.now(UTC).isoformat(timespec="seconds"), "params": params,
              "examples": len(examples), **(meta or {})}
    router = Router(pipeline, temperature, threshold, header)
    return router, scores(calibrated, labels, threshold)


def scores(probabilities, labels, threshold) -> dict:
    """Accuracy, triage rate, confident mistakes and calibration error of probabilities against labels."""
    n = len(labels)
    if not n:
        return {"texts": 0}
    routes = [_route(row, threshold) for row in probabilities]
    truth = [DEPARTMENT_OF[label] for label in labels]
    best_department = [max(department_probabilities(row).items(), key=lambda kv: kv[1])[0] for row in probabilities]
    routed = [(r.department, t) for r, t in zip(routes, truth) if r.department != TRIAGE]
    # Strict: the best department is wrong and the confidence >= 0.8, whether or not the text went to
    # triage. Misrouted: the text was sent to a wrong department with that confidence.
    confident_wrong = sum(1 for r, b, t in zip(routes, best_department, truth) if b != t and r.confidence >= CONFIDENT)
    misrouted = sum(1 for r, t in zip(routes, truth)
                    if r.department not in (t, TRIAGE) and r.confidence >= CONFIDENT)
    return {
        "texts": n,
        "category_accuracy": _ratio(sum(r.category == label for r, label in zip(routes, labels)), n),
        "department_accuracy": _ratio(sum(b == t for b, t in zip(best_department, truth)), n),
        "routed_accuracy": _ratio(sum(d == t for d, t in routed), len(routed)),
        "triage_rate": _ratio(n - len(routed), n),
        "confident_wrong_rate": _ratio(confident_wrong, n),
        "confident_misrouted_rate": _ratio(misrouted, n),
        "calibration_error": _calibration_error([r.confidence for r in routes],
                                                [b == t for b, t in zip(best_department, truth)]),
        "threshold": round(threshold, 4),
    }


def _ratio(part, whole):
    return round(part / whole, 4) if whole else None


def _calibration_error(confidences, right, bins=10):
    """Expected calibration error of the department confidence (10 equal-width bins)."""
    total, n = 0.0, len(confidences)
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [i for i, c in enumerate(confidences) if low < c <= high or (b == 0 and c == 0)]
        if members:
            accuracy = sum(right[i] for i in members) / len(members)
            mean = sum(confidences[i] for i in members) / len(members)
            total += len(members) / n * abs(accuracy - mean)
    return round(total, 4)


def evaluate(router: Router, examples) -> dict:
    """The router's figures on labelled examples (the fixed test split, usually)."""
    if not examples:
        return {"texts": 0}
    return scores(router.probabilities(read_all(examples)), [e.category for e in examples], router.threshold)


def corpus_digest(path: Path) -> str:
    """SHA-256 of a corpus file (recorded in the model header)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- the model file ---------------------------------------------------------------------------------------

def save(router: Router, path: Path) -> Path:
    """Write the router with its header (compressed joblib); the file appears whole or not at all."""
    import joblib

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    joblib.dump({"header": router.header, "temperature": router.temperature, "threshold": router.threshold,
                 "pipeline": router.pipeline}, partial, compress=3)
    partial.replace(path)
    return path


def load(path: Path) -> Router:
    """The router stored at `path`; ModelError if it is missing or not of this format, version and scikit-learn."""
    import joblib
    import sklearn

    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: no model file")
    try:
        stored = joblib.load(path)
    except Exception as error:  # a truncated or foreign file: any unpickling error means "not ours"
        raise ModelError(f"{path}: unreadable model file ({type(error).__name__})") from None
    header = stored.get("header", {}) if isinstance(stored, dict) else {}
    if header.get("format") != MODEL_FORMAT or header.get("version") != MODEL_VERSION:
        raise ModelError(f"{path}: not a version {MODEL_VERSION} router")
    if header.get("sklearn") != sklearn.__version__:
        # A pickle from another scikit-learn may load and still predict wrongly: retrain instead.
        raise ModelError(f"{path}: made with scikit-learn {header.get('sklearn')}, not {sklearn.__version__}")
    return Router(stored["pipeline"], stored["temperature"], stored["threshold"], header)


def instance_model(instance_dir) -> Path:
    """Where a retrained (or first-use) model lives in the instance folder."""
    return Path(instance_dir) / "complaints" / MODEL_NAME


def train_default(corpus_path: Path | None = None) -> Router:
    """A router fitted on the training authors of the corpus, with the default parameters."""
    path = corpus_path or CORPUS_PATH
    train, _ = split(load_corpus(path))
    router, _ = fit(train, meta={"corpus_sha256": corpus_digest(path)})
    return router


_cache: dict[str, Router] = {}
_lock = threading.Lock()


def current_router(instance_dir=None) -> Router:
    """The process's router: the instance folder's model, else the packaged one, else trained now and cached.

    Loaded once per process (per instance folder); `forget` drops it after a retrain.
    """
    key = str(instance_dir)
    router = _cache.get(key)
    if router is not None:
        return router
    with _lock:
        if key not in _cache:
            _cache[key] = _load_or_train(instance_dir)
        return _cache[key]


def stored_router(instance_dir) -> Router:
    """The instance folder's model, else the packaged one; ModelError if neither can be used."""
    candidates = ([instance_model(instance_dir)] if instance_dir else []) + [PACKAGED_MODEL]
    for path in candidates:
        try:
            return load(path)
        except ModelError:
            continue
    raise ModelError("no usable model file: " + ", ".join(map(str, candidates)))


def _load_or_train(instance_dir) -> Router:
    try:
        return stored_router(instance_dir)
    except ModelError:
        pass
    router = train_default()
    if instance_dir:
        save(router, instance_model(instance_dir))
    return router


def forget() -> None:
    """Drop the loaded routers (the next call loads the model files again)."""
    with _lock:
        _cache.clear()


@dataclass(frozen=True)
class TrainingReport:
    """What `train` did: figures on the fixed test split before and after, and whether the new model was kept."""

    before: dict | None
    after: dict
    kept: bool
    path: Path
    corrections: int
    out_of_fold: dict = field(default_factory=dict)


def _department_accuracy(figures):
    return figures.get("department_accuracy") or 0.0


def train(instance_dir, extra_corrections=(), corpus_path: Path | None = None, output: Path | None = None,
          params=None) -> TrainingReport:
    """Retrain on the corpus's training authors plus officers' corrections; keep it if not worse on the test split.

    Corrections never enter the test split, and a correction whose text is a test text is left out,
    so that the comparison stays fair. The new model replaces the current one (in the instance folder,
    or at `output`) only if its department accuracy on the fixed test split is not lower.
    """
    from backoffice.services.complaints.dataset import corrections

    path = corpus_path or CORPUS_PATH
    train_part, test_part = split(load_corpus(path))
    test_texts = {e.text.strip() for e in test_part}
    added = [Example(e.text, e.hint, e.category, "correction") for e in corrections(extra_corrections)
             if e.text.strip() not in test_texts]
    target = Path(output) if output else instance_model(instance_dir)
    try:
        before = evaluate(load(target) if output else stored_router(instance_dir), test_part)
    except ModelError:
        before = None
    router, oof = fit(train_part + added, params=params,
                      meta={"corpus_sha256": corpus_digest(path), "corrections": len(added)})
    after = evaluate(router, test_part)
    kept = before is None or _department_accuracy(after) >= _department_accuracy(before)
    if kept:
        save(router, target)
        forget()
    return TrainingReport(before, after, kept, target, len(added), oof)


def _app_instance_dir():
    from flask import current_app, has_app_context

    return current_app.instance_path if has_app_context() else None


def classify(text: str, hint: str | None = None) -> Route:
    """The route of one complaint, with the app's model (loaded once per process)."""
    return current_router(_app_instance_dir()).route(text, hint)
